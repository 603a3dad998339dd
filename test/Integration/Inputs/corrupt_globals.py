"""corrupt_globals.py IN.ll REGEX: prints IN.ll with every byte of the i8
array globals whose name matches REGEX set to 0xFF (a payload corrupted in
the object after the compiler validated it)."""
import re
import sys

text = open(sys.argv[1]).read()
name = re.compile(sys.argv[2])
pattern = re.compile(
    r'^(@(?P<name>[\w.$]+) = (?:[\w ]*)constant \[(?P<n>\d+) x i8\] )'
    r'(?:c"[^"]*"|\[[^\]]*\]|zeroinitializer)', re.M)
count = 0


def replace(m):
    global count
    if not name.search(m.group("name")):
        return m.group(0)
    count += 1
    return m.group(1) + 'c"' + "\\FF" * int(m.group("n")) + '"'


out = pattern.sub(replace, text)
if count == 0:
    sys.exit("corrupt_globals.py: no i8 global matches " + sys.argv[2])
sys.stdout.write(out)
