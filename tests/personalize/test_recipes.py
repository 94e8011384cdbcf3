"""The other recipes: Similar-Items, Popularity-Count, Personalized-Ranking; item metadata in answers."""
from __future__ import annotations

from collections import Counter

import pytest
from personalize_helpers import ITEMS, csv_files, make_campaign, make_group

pytestmark = [pytest.mark.cloud]


@pytest.fixture(scope="module")
def group(cloud):
    return make_group(cloud, "recipes")


def test_popularity_count_ranks_by_interactions_without_scores(cloud, group):
    campaign = make_campaign(cloud, group, "aws-popularity-count", "recipes-popular")
    answer = cloud.client("personalize-runtime").get_recommendations(campaignArn=campaign, userId="anyone",
                                                                     numResults=3)
    counts = Counter(line.split(",")[1] for line in csv_files()["Interactions"].splitlines()[1:])
    expected = [item for item, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    assert [r["itemId"] for r in answer["itemList"]] == expected
    assert all("score" not in r for r in answer["itemList"])


def test_similar_items_answers_for_an_item_and_needs_one(cloud, group):
    campaign = make_campaign(cloud, group, "aws-similar-items", "recipes-similar", metadata=True)
    runtime = cloud.client("personalize-runtime")
    answer = runtime.get_recommendations(campaignArn=campaign, itemId=ITEMS[15], numResults=4,
                                         metadataColumns={"ITEMS": ["CATEGORY", "NAME"]})
    ids = [r["itemId"] for r in answer["itemList"]]
    assert len(ids) == 4 and ITEMS[15] not in ids
    assert all(r["metadata"]["NAME"].startswith("Product ") for r in answer["itemList"])
    with pytest.raises(runtime.exceptions.InvalidInputException):
        runtime.get_recommendations(campaignArn=campaign, userId="u001")


def test_personalized_ranking_reorders_the_input_with_scores_summing_to_one(cloud, group):
    campaign = make_campaign(cloud, group, "aws-personalized-ranking-v2", "recipes-ranking")
    runtime = cloud.client("personalize-runtime")
    young, old = (runtime.get_personalized_ranking(campaignArn=campaign, userId=user, inputList=[ITEMS[1], ITEMS[18]])
                  for user in ("u000", "u004"))  # aged 20 and 48
    assert young["personalizedRanking"][0]["itemId"] == ITEMS[1]
    assert old["personalizedRanking"][0]["itemId"] == ITEMS[18]
    assert sum(r["score"] for r in young["personalizedRanking"]) == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(runtime.exceptions.InvalidInputException):
        runtime.get_recommendations(campaignArn=campaign, userId="u000")
