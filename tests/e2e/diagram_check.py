#!/usr/bin/env python3
"""diagram_check.py dot|mermaid FILE: check that a drawing autogen printed is
one Graphviz and Mermaid parse, without either installed.

dot: the file is tokenized as Graphviz does (quoted strings with backslash
escapes, braces, statements ending with ';'), and every edge joins declared
nodes. mermaid: each line must match one statement of the grammar of the
diagram (flowchart or erDiagram) as Mermaid's parser defines it, with the
characters its lexer refuses kept out of names and labels, and every edge or
relationship must join declared nodes or entities.
"""
import re
import sys

QUOTED = r'"(?:\\.|[^"\\])*"'


def fail(line_no, line, why):
    sys.exit("line %d: %s: %r" % (line_no, why, line))


def check_dot(text):
    tokens = re.findall(QUOTED + r'|->|[{}\[\];=,]|[A-Za-z_][A-Za-z0-9_]*|\S', text)
    if tokens[:3] != ["digraph", tokens[1], "{"] or tokens[-1] != "}":
        sys.exit("not one digraph { ... }")
    depth = 0
    for t in tokens:
        depth += t == "{"
        depth -= t == "}"
        if depth < 0:
            sys.exit("unbalanced braces")
    if depth:
        sys.exit("unbalanced braces")
    nodes, edges = set(), []
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s in ("", "}") or s.startswith("digraph ") or re.fullmatch(r"(node|rankdir).*;", s):
            continue
        m = re.fullmatch(r'(%s)(?: -> (%s))?(?: \[(.*)\])?;' % (QUOTED, QUOTED), s)
        if not m:
            fail(n, line, "not a node or edge statement")
        attrs = m.group(3) or ""
        if not re.fullmatch(r'(?:[a-z]+=(?:%s|[a-z]+)(?:, )?)*' % QUOTED, attrs):
            fail(n, line, "bad attribute list")
        if m.group(2):
            edges.append((n, line, m.group(1), m.group(2)))
        else:
            nodes.add(m.group(1))
    for n, line, a, b in edges:
        if a not in nodes or b not in nodes:
            fail(n, line, "an edge to an undeclared node")


# Mermaid's lexers (flowchart and erDiagram): what may stand where.
ENTITY = r'"[^"%\r\n\\]+"'
WORD = r'[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9\-_\[\]()\u00C0-\uFFFF]*'
CARD_LEFT, CARD_RIGHT = r'(?:\|o|\|\||\}o|\}\|)', r'(?:o\||\|\||o\{|\|\{)'


def check_er(lines):
    entities, rels, in_block = set(), [], False
    for n, line in lines:
        if in_block:
            if line == "  }":
                in_block = False
                continue
            m = re.fullmatch(r'    (%s) (%s)((?: (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?)(?: "[^"\n]*")?'
                             % (WORD, WORD), line)
            if not m:
                fail(n, line, "not an attribute")
            if m.group(2).lower() in ("pk", "fk", "uk"):
                fail(n, line, "an attribute named as a key")
            continue
        m = re.fullmatch(r'  (%s) \{' % ENTITY, line)
        if m:
            entities.add(m.group(1))
            in_block = True
            continue
        m = re.fullmatch(r'  (%s) %s(?:--|\.\.)%s (%s) : "[^"\n]*"' % (ENTITY, CARD_LEFT, CARD_RIGHT,
                                                                      ENTITY), line)
        if not m:
            fail(n, line, "not an entity or a relationship")
        rels.append((n, line, m.group(1), m.group(2)))
    if in_block:
        sys.exit("an entity block is not closed")
    for n, line, a, b in rels:
        if a not in entities or b not in entities:
            fail(n, line, "a relationship with an undeclared entity")


def check_flowchart(lines):
    nodes, edges = set(), []
    for n, line in lines:
        m = re.fullmatch(r'  (n\d+)\["([^"]*)"\]', line)
        if m:
            # Entity codes only (#quot; #35;); no markup of Mermaid's own.
            if re.search(r'#(?![a-z]+;|\d+;)|[<>](?!br/>)|`', m.group(2).replace("<br/>", "")):
                fail(n, line, "an unescaped character in a label")
            nodes.add(m.group(1))
            continue
        m = re.fullmatch(r'  (n\d+) (?:-->|-\.->\|[^|"]*\|) (n\d+)', line)
        if m:
            edges.append((n, line, m.group(1), m.group(2)))
            continue
        if re.fullmatch(r'  classDef [a-z]+ [a-z-]+:[#a-z0-9]+', line):
            continue
        m = re.fullmatch(r'  class (n\d+(?:,n\d+)*) [a-z]+', line)
        if m:
            edges += [(n, line, x, x) for x in m.group(1).split(",")]
            continue
        fail(n, line, "not a node, edge or class statement")
    for n, line, a, b in edges:
        if a not in nodes or b not in nodes:
            fail(n, line, "an undeclared node")


def check_mermaid(text):
    lines = list(enumerate(text.splitlines(), 1))
    if not lines:
        sys.exit("empty")
    head = lines[0][1]
    if head == "erDiagram":
        check_er(lines[1:])
    elif head == "flowchart TB":
        check_flowchart(lines[1:])
    else:
        sys.exit("unknown diagram %r" % head)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.endswith("\n"):
        sys.exit("no newline at the end")
    {"dot": check_dot, "mermaid": check_mermaid}[kind](text)


if __name__ == "__main__":
    main()
