"""Transforms a SAM template the way `sam deploy` has CloudFormation do it, and prints the result as JSON.

Usage: sam_transform.py TEMPLATE [Name=Value ...]. Local CodeUri/ContentUri paths become the S3
URIs `sam package` would upload them to; nothing is sent anywhere.
"""
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names no SAM policy templates, so the translator needs no IAM lookups."""

    def load(self):
        return {}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties") or {}
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                properties[key] = "s3://deployment-bucket/" + properties[key]
    parameters = dict(arg.split("=", 1) for arg in sys.argv[2:])
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    print(json.dumps(transform(template, parameters, NoManagedPolicies()), default=str))


if __name__ == "__main__":
    main()
