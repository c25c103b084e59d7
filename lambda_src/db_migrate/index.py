"""Runs the Metaflow metadata service's database migration.

Deployed as the `db_migrate` Lambda function of the metadata-service module; its
text is embedded in the module (archive_file), so it must stay a single file that
needs nothing beyond the Python standard library.

MD_LB_ADDRESS is the migration listener of the metadata service's load balancer,
e.g. "http://internal-nlb.example:8082". The handler records the schema status,
asks for the upgrade, and records the status again.
"""

import json
import os
from urllib import request


def _endpoint(path):
    return "{}/{}".format(os.environ.get("MD_LB_ADDRESS"), path)


def _read_json(url):
    with request.urlopen(url) as reply:
        return json.loads(reply.read())


def handler(event, context):
    status_url = _endpoint("db_schema_status")
    response = {"init-status": _read_json(status_url)}

    upgrade = request.Request(_endpoint("upgrade"), method="PATCH")
    with request.urlopen(upgrade) as reply:
        response["upgrade-result"] = reply.read().decode()

    response["final-status"] = _read_json(status_url)
    print(response)
    return response
