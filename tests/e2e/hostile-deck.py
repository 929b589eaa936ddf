"""hostile-deck.py KIND OUT: a previous deck that quire must not read
through (issue 11: views that never end or yield gigabytes, a zip bomb).
Used by apkg.sh."""
import os, sqlite3, struct, sys, tempfile, zipfile, zlib

MID = 1577836800077
COL = "CREATE TABLE col (id integer primary key, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags);" \
      "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}','{}','{}','{}','{}');"

def collection(sql):
    fd, name = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    os.unlink(name)
    db = sqlite3.connect(name)
    db.executescript(sql)
    db.commit()
    db.close()
    data = open(name, "rb").read()
    os.unlink(name)
    return data

def apkg(out, col):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki2", col)
        z.writestr("media", "{}")

def bomb(out, gb=1):
    """a zip of about 1 MB whose collection.anki2 unpacks to gb GB of zeros"""
    mb = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    assert piece == again
    n = 1024 * gb
    data = piece * n + c.flush()
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(mb, crc)
    size = n << 20
    name = b"collection.anki2"
    local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0x21, crc,
                        len(data), size & 0xFFFFFFFF, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0x21, crc,
                          len(data), size & 0xFFFFFFFF, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central),
                      len(local) + len(data), 0)
    with open(out, "wb") as f:
        f.write(local + data + central + end)

kind, out = sys.argv[1], sys.argv[2]
if kind == "recursive-view":
    apkg(out, collection(COL + "CREATE VIEW notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL"
                         " SELECT x + 1 FROM r) SELECT x AS id, 'g' || x AS guid, %d AS mid,"
                         " 1 AS mod, 0 AS usn, '' AS tags, 'q' AS flds FROM r;" % MID))
elif kind == "huge-guid-view":
    apkg(out, collection(COL + "CREATE VIEW notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL"
                         " SELECT x + 1 FROM r WHERE x < 3000) SELECT x AS id,"
                         " hex(zeroblob(524288)) || x AS guid, %d AS mid, 1 AS mod, 0 AS usn,"
                         " '' AS tags, 'q' AS flds FROM r;" % MID))
elif kind == "huge-guid-table":
    # scaled: 100 rows of 1 MB guids in a real table (a 100 MB collection)
    apkg(out, collection(COL + "CREATE TABLE notes (id integer primary key, guid, mid, mod, usn,"
                         " tags, flds); WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1"
                         " FROM r WHERE x < 100) INSERT INTO notes SELECT x,"
                         " hex(zeroblob(524288)) || x, %d, 1, 0, '', 'q' FROM r;" % MID))
elif kind == "bomb":
    bomb(out)
else:
    sys.exit("unknown kind " + kind)
