"""make-seeds.py DIR [DECK...]: previous-deck seeds for the fuzzer.

Writes SQLite collections (the shapes an attacker would try: views,
triggers, computed columns, huge and odd fields) and the collections of
the real decks given, plus those decks themselves, into DIR. Small on
purpose: the fuzzer mutates them."""
import os, sqlite3, sys, tempfile, zipfile

MID = 1577836800077
COL = ("CREATE TABLE col (id integer primary key, crt, mod, scm, ver, dty, usn, ls, conf,"
       " models, decks, dconf, tags);"
       "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}',"
       "'{\"%d\":{\"id\":%d,\"mod\":5,\"css\":\"x\",\"flds\":[]}}','{}','{}','{}');" % (MID, MID))
NOTES = ("CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,"
         " usn integer, tags text, flds text, sfld integer, csum integer, flags integer,"
         " data text);")
ROWS = ("INSERT INTO notes VALUES (1, 'abc', %d, 5, -1, ' t ', 'q\x1fa\x1fs', 'q', 1, 0, '');"
        "INSERT INTO notes VALUES (2, 'abd', %d, 6, -1, '', 'q2\x1fa2', 'q2', 2, 0, '');" % (MID, MID))

SHAPES = {
    "plain": COL + NOTES + ROWS,
    "trigger": COL + NOTES + ROWS + "CREATE TRIGGER t AFTER INSERT ON notes BEGIN"
               " DELETE FROM col; END;",
    "view-recursive": COL + "CREATE VIEW notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL"
                      " SELECT x + 1 FROM r) SELECT x AS id, 'g' || x AS guid, %d AS mid,"
                      " 1 AS mod, '' AS tags, 'q' AS flds FROM r;" % MID,
    "view-col": NOTES + ROWS + "CREATE VIEW col AS SELECT 1 AS id, '{}' AS models;",
    "generated": COL + "CREATE TABLE notes (id integer primary key, guid text, mid integer,"
                 " mod integer, flds text, tags text, x GENERATED ALWAYS AS"
                 " (hex(zeroblob(1000))) VIRTUAL);",
    "huge-field": COL + NOTES + "INSERT INTO notes VALUES (1, 'abc', %d, 5, -1, '',"
                  " hex(zeroblob(20000)), 'q', 1, 0, '');" % MID,
    "long-guid": COL + NOTES + "INSERT INTO notes VALUES (1, hex(zeroblob(200)), %d, 5, -1, '',"
                 " 'q', 'q', 1, 0, '');" % MID,
    "odd-types": COL + NOTES + "INSERT INTO notes VALUES (1, x'00ff', 'mid', 'x', -1, 7,"
                 " x'1f1f', 3.5, 1, 0, NULL);",
    "bad-json": COL.replace("{\"%d\"" % MID, "{[\"%d\"" % MID) + NOTES + ROWS,
}

def save(path, sql):
    if os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.commit()
    db.close()

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, sql in SHAPES.items():
    save(os.path.join(out, "prev-%s.anki2" % name), sql)
    with zipfile.ZipFile(os.path.join(out, "prev-%s.apkg" % name), "w", zipfile.ZIP_DEFLATED) as z:
        z.write(os.path.join(out, "prev-%s.anki2" % name), "collection.anki2")
        z.writestr("media", "{}")
for i, deck in enumerate(sys.argv[2:]):
    with zipfile.ZipFile(deck) as z:
        data = z.read("collection.anki2")
    if len(data) <= 64 << 10:
        open(os.path.join(out, "deck-%d.anki2" % i), "wb").write(data)
    if os.path.getsize(deck) <= 64 << 10:
        open(os.path.join(out, "deck-%d.apkg" % i), "wb").write(open(deck, "rb").read())
