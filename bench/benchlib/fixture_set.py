"""The 1,000-fixture set: each fixture answers only its own version, so the benchmark's request
(version 1.2.0) is checked against all of them and still answered by the default `success`."""
import json
import os


def write_fixtures(directory, count):
    os.makedirs(directory, exist_ok=True)
    for index in range(count):
        name = f"bench-version-{index:04d}"
        fixture = {
            "name": name,
            "description": "bench/run: a fixture the benchmark's request never matches.",
            # Spread over priorities, as a real set would be, so ranking is not one flat tie.
            "priority": 1 + index % 50,
            "when": {"body": {"/artifact/version": {"equals": f"9.{index // 100}.{index % 100}"}}},
            "response": {"status": 201, "body": {"id": "{{uuid}}", "version": "{{body:/artifact/version}}"}},
        }
        with open(os.path.join(directory, name + ".json"), "w") as file:
            json.dump(fixture, file, indent=2)
    return directory
