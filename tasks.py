"""Project tasks. `invoke --list` shows them; each lives in devtasks/<area>.py."""
from invoke import Collection

from devtasks import bench, cloud, data, model, personalize, security, stack, testing

ns = Collection()
for module in (data, model, stack, security, bench, testing):
    for task in module.TASKS:
        ns.add_task(task)
ns.add_collection(cloud.ns, name="cloud")
ns.add_collection(personalize.ns, name="personalize")
