#!/usr/bin/env python3
"""Generate a large Terraform plan and an inventory that claims its resources.

Usage: plan.py N OUTDIR
Writes OUTDIR/plan.json (one line, as `terraform show -json` prints it) with
N storage resources cycling through the AWS, Google, Yandex and Selectel
fixtures' resource shapes, and OUTDIR/inventory/entities.yaml with N/10
entities: half claim resources by address (`terraform:`), half through the
`residency-id` tag; every tenth resource is tagged personal-data and
unclaimed (unlisted-storage).
"""
import copy
import json
import os
import sys

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "terraform")


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(os.path.join(out, "inventory"), exist_ok=True)
    plan = json.load(open(os.path.join(FIX, "aws.json")))
    shapes = [rc for rc in plan["resource_changes"] if rc["type"] in ("aws_dynamodb_table", "aws_opensearch_domain")]
    config = {c["address"]: c for c in plan["configuration"]["root_module"]["resources"]}
    changes, resources, entities = [], [], []
    for i in range(n):
        rc = copy.deepcopy(shapes[i % len(shapes)])
        name = f"r{i}"
        rc["address"], rc["name"] = f"{rc['type']}.{name}", name
        tags = {}
        if i % 10 == 9:
            tags = {"personal-data": "true"}
        elif i % 20 >= 10:
            tags = {"residency-id": f"e{(i // 20) % max(1, n // 10)}"}
        rc["change"]["after"]["tags"] = tags
        rc["change"]["after"]["tags_all"] = tags
        changes.append(rc)
        c = copy.deepcopy(config[f"{shapes[i % len(shapes)]['type']}.{shapes[i % len(shapes)]['name']}"])
        c["address"], c["name"] = rc["address"], name
        resources.append(c)
    for e in range(max(1, n // 10)):
        claims = [changes[j]["address"] for j in range(e * 20, min(n, e * 20 + 9))]
        entities.append(f"  - {{id: e{e}, role: analytics, terraform: {json.dumps(claims)}, personal_data: {{}}}}")
    plan["resource_changes"] = changes
    plan["configuration"]["root_module"]["resources"] = resources
    plan["planned_values"] = {"root_module": {}}
    with open(os.path.join(out, "plan.json"), "w") as f:
        json.dump(plan, f, separators=(",", ":"))
    with open(os.path.join(out, "inventory", "entities.yaml"), "w") as f:
        f.write("version: 1\ndatabases:\n" + "\n".join(entities) + "\n")


if __name__ == "__main__":
    main()
