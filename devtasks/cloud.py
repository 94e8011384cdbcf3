"""cloud.start / cloud.stop / cloud.status: the local AWS (localcloud/)."""
from invoke import Collection, Exit, task


@task(help={"port": "port to serve on 127.0.0.1 (default: LOCALCLOUD_PORT or 4566)"})
def start(c, port=0):
    """Start the local cloud in the background (idempotent) and print its endpoint."""
    import localcloud
    from localcloud.control import LocalCloudError, log_file

    try:
        endpoint = localcloud.start(port=port or None)
    except (LocalCloudError, ValueError) as exc:
        raise Exit(f"cloud.start: {exc}") from None
    print(f"local cloud ready at {endpoint} (log: {log_file()})")


@task
def stop(c):
    """Stop the local cloud this checkout started (only its own process)."""
    import localcloud

    print("local cloud stopped" if localcloud.stop() else "local cloud was not running")


@task
def status(c):
    """Show whether the local cloud runs, where, and its boot id."""
    import localcloud

    state = localcloud.status()
    if state["running"]:
        print(f"running at {state['endpoint']} (pid {state['pid']}, boot {state['boot_id']}, log {state['log']})")
    else:
        print(f"not running (would serve at {state['endpoint']}; start with `invoke cloud.start`)")


ns = Collection(start, stop, status)
