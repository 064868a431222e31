"""Write (or refresh) the generated ``Contract`` section into public functions' docstrings.

Run from the repository root after editing a table::

    python -m kitlib.contracts divergences fitting kde

Each function in the module's table gets the section produced by
``kitlib.contracts.contract_text`` (inserted before References/Examples, else at the end);
``tests/test_contracts.py`` checks that the docstrings and the table agree.
"""

import ast
import glob
import os
import sys

from kitlib import contracts as C


def _sources(mod: str) -> list[str]:
    """The module's file, or every file of a package (``kitlib/fitting/*.py``)."""
    if os.path.isdir(f"kitlib/{mod}"):
        return sorted(glob.glob(f"kitlib/{mod}/*.py"))
    return [f"kitlib/{mod}.py"]


for mod, path in [(m, p) for m in sys.argv[1:] for p in _sources(m)]:
    src = open(path).read()
    table = C.table(mod)
    tree = ast.parse(src)
    lines = src.split("\n")
    edits = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name not in table:
            continue
        ds = node.body[0]
        if not (isinstance(ds, ast.Expr) and isinstance(ds.value, ast.Constant)):
            print("no docstring", node.name); continue
        start, end = ds.lineno - 1, ds.end_lineno - 1  # 0-based line indices
        text = C.contract_text(table[node.name], "    ")
        # drop an earlier generated section
        block = lines[start:end + 1]
        edits.append((start, end, node.name, text))
    for start, end, name, text in sorted(edits, reverse=True):
        block = lines[start:end + 1]
        # remove existing Contract section
        if any(l.strip() == "Contract" for l in block):
            i = next(k for k, l in enumerate(block) if l.strip() == "Contract")
            j = i + 2
            while j < len(block) and not (block[j].strip() in ("References", "Examples", "Notes", "See Also") and j + 1 < len(block) and set(block[j+1].strip()) == {"-"}) and not block[j].strip().endswith('"""'):
                j += 1
            block = block[:i] + block[j:]
            while block[i - 1].strip() == "" and block[i - 2].strip() == "":
                del block[i - 1]; i -= 1
        # where to insert: before References/Examples, else before closing quotes
        pos = None
        for k, l in enumerate(block):
            if l.strip() in ("References", "Examples") and k + 1 < len(block) and set(block[k + 1].strip()) == {"-"}:
                pos = k; break
        new_lines = text.split("\n")
        if pos is not None:
            block = block[:pos] + new_lines + [""] + block[pos:]
        else:
            last = block[-1]
            if last.strip() == '"""':
                body, closing = block[:-1], [last]
            else:  # text and closing quotes on one line
                body, closing = block[:-1] + [last.replace('"""', "")], ['    """']
            if body[-1].strip() != "":
                body = body + [""]
            block = body + new_lines + closing
        lines[start:end + 1] = block
    open(path, "w").write("\n".join(lines))
    print(path, len(edits))
