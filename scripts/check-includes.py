#!/usr/bin/env python3
"""The rooms of common/ and the one direction its includes may point (down).

    scripts/check-includes.py     exit 1, naming each include that points up or sideways

Rooms, lowest first: a file may include its own room and any room below it.
Capabilities are ordered too, each may use the ones before it (diff uses the
catalog model and the linter; start-prod takes a backup and compares a schema).
"""
import os
import re
import sys

ROOMS = ["base", "text", "pg", "engine", "cli",
         "catalog", "lint", "backup", "dryrun", "diff", "fleet", "start", "import"]
# One library each, behind one file.
SOLE_USERS = {"libpq-fe.h": "pg/db.cpp", "pg_query.h": "text/sql.cpp", "boost/process": "base/process.cpp"}

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common")
problems = []
for folder, _, files in os.walk(root):
    for name in sorted(files):
        if not name.endswith((".cpp", ".hpp")):
            continue
        path = os.path.relpath(os.path.join(folder, name), root)
        room = path.split("/")[0]
        if room not in ROOMS:
            problems.append(f"common/{path}: not in a room ({', '.join(ROOMS)})")
            continue
        text = open(os.path.join(root, path), encoding="utf-8").read()
        for included in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            target = included.split("/")[0]
            if "/" not in included:
                problems.append(f"common/{path}: include \"{included}\" without its folder")
            elif target in ROOMS and ROOMS.index(target) > ROOMS.index(room):
                problems.append(f"common/{path}: {room}/ includes {included}, a room above it")
        for library, owner in SOLE_USERS.items():
            if re.search(r'#\s*include\s+[<"]' + re.escape(library), text) and path != owner:
                problems.append(f"common/{path}: includes {library}, which only {owner} may")
for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print(f"includes point down through {len(ROOMS)} rooms")
