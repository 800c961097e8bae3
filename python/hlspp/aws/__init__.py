"""AWS tooling built on hlspp (install with the ``hlspp[aws]`` extra).

Modules: ``publish`` (upload a merged master playlist to every region's bucket),
``regenerate`` (scheduled re-merge), ``detector`` (stale playlist detector),
``copilot`` (Lambda@Edge origin-request gate), ``steering`` (content steering
server), ``state`` (the DynamoDB state table shared by all of them).
"""
