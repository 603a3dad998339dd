"""mutate_bytecode.py IN OUT MODE: writes a mutated copy of MLIR bytecode IN.
  section-length: the first section's length varint becomes 2^40 (a 9-byte
                  varint is spliced in);
  alignment:      the first aligned section's alignment becomes 3;
  strings:        the string section's count becomes 2^40;
  group-count:    the first attribute group of the attribute/type offset
                  section declares one entry more than there are attributes
                  (1-byte varints);
  dense-blob HEX SIZE:
                  the size of the dense elements blob whose bytes are HEX
                  becomes SIZE (a 1-byte varint; the bytes after the new end
                  stay in the entry, every section length is unchanged)."""
import sys

data = bytearray(open(sys.argv[1], "rb").read())
mode = sys.argv[3]


def varint(pos):
    """(value, size) of the PrefixVarInt at pos."""
    first = data[pos]
    if first & 1:
        return first >> 1, 1
    extra = 8 if first == 0 else (first & -first).bit_length() - 1
    rest = int.from_bytes(data[pos + 1:pos + 1 + extra], "little")
    if first == 0:
        return rest, 9
    return (rest << (7 - extra)) | (first >> (extra + 1)), extra + 1


def huge():
    return bytes([0]) + (1 << 40).to_bytes(8, "little")


def encode(value):
    """The 9-byte PrefixVarInt of value (valid for any value)."""
    return bytes([0]) + value.to_bytes(8, "little")


if mode == "dense-blob":
    blob = bytes.fromhex(sys.argv[4])
    size = int(sys.argv[5])
    assert data.count(blob) == 1, "the blob must occur once"
    at = data.index(blob)
    assert varint(at - 1) == (len(blob), 1), "blob size is not a 1-byte varint"
    data[at - 1] = (size << 1) | 1
    open(sys.argv[2], "wb").write(bytes(data))
    sys.exit(0)

pos = 4
_, n = varint(pos)  # version
pos += n
pos = data.index(0, pos) + 1  # producer
while pos < len(data):
    header = pos
    ident = data[pos] & 0x7F
    aligned = data[pos] & 0x80
    pos += 1
    length, n = varint(pos)
    lengthPos = pos
    pos += n
    if aligned:
        alignPos = pos
        _, m = varint(pos)
        pos += m
        if mode == "alignment":
            data[alignPos:alignPos + m] = bytes([(3 << 1) | 1])
            break
        while pos < len(data) and data[pos] == 0xCB:
            pos += 1
    if mode == "section-length":
        data[lengthPos:lengthPos + n] = huge()
        break
    if mode == "group-count" and ident == 3:
        numAttrs, n1 = varint(pos)
        _, n2 = varint(pos + n1)
        group = pos + n1 + n2
        _, n3 = varint(group)
        assert numAttrs < 63 and varint(group + n3)[1] == 1
        data[group + n3] = ((numAttrs + 1) << 1) | 1
        break
    if mode == "strings" and ident == 0:
        old = varint(pos)[1]
        data[pos:pos + old] = huge()
        data[lengthPos:lengthPos + n] = encode(length - old + 9)
        break
    pos += length
open(sys.argv[2], "wb").write(bytes(data))
