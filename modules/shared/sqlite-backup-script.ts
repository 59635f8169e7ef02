/**
 * The Python program sqlite_backup streams to `python3 -` on the host (python3 is on every Debian host; the sqlite3
 * CLI may not be). It uses SQLite's online backup API, which copies a consistent snapshot while the app keeps
 * writing, and checks every copy with PRAGMA integrity_check before it counts. Prints one JSON line.
 *
 *   python3 - backup  DB DEST_DIR COMPRESS(gzip|none) MODE OWNER GROUP   → {"path", "size", "sha256"}
 *   python3 - restore DB BACKUP_FILE                                      → {"path", "safety_copy", "sha256"}
 *
 * Every file is written under a temporary name in its final directory and renamed into place, so a failure or a
 * dropped connection never leaves a half-written backup or database behind.
 */
export const SQLITE_BACKUP_SCRIPT = String.raw`
import gzip, hashlib, json, os, shutil, sqlite3, sys, time, urllib.parse

def fail(message):
    sys.stderr.write("sqlite_backup: " + message + "\n")
    sys.exit(3)

def open_existing(path):
    # mode=rw: never create an empty database where the real one is missing.
    return sqlite3.connect("file:" + urllib.parse.quote(path) + "?mode=rw", uri=True)

def online_copy(db, target):
    source = open_existing(db)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()

def integrity_check(path):
    # A page too broken to read raises instead of being listed: that is a failed check too.
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as e:
        return [str(e)]
    finally:
        conn.close()

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

def remove(path):
    if os.path.exists(path):
        os.remove(path)

def stamp():
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())

def backup(db, dest, compress, mode, owner, group):
    if not os.path.isfile(db):
        fail("database " + db + " does not exist")
    os.makedirs(dest, mode=0o700, exist_ok=True)
    base = os.path.splitext(os.path.basename(db))[0]
    final = os.path.join(dest, base + "-" + stamp() + ".db" + (".gz" if compress == "gzip" else ""))
    if os.path.exists(final):
        fail(final + " already exists (two backups in one second)")
    raw = os.path.join(dest, ".rems-" + os.path.basename(final) + ".raw")
    packed = os.path.join(dest, ".rems-" + os.path.basename(final) + ".tmp")
    try:
        try:
            online_copy(db, raw)
        except sqlite3.Error as e:
            fail("could not copy " + db + ": " + str(e))
        result = integrity_check(raw)
        if result != ["ok"]:
            fail("integrity_check of the copy failed: " + "; ".join(result[:5]))
        if compress == "gzip":
            with open(raw, "rb") as src, gzip.open(packed, "wb") as out:
                shutil.copyfileobj(src, out)
            remove(raw)
        else:
            os.replace(raw, packed)
        os.chmod(packed, int(mode, 8))
        if owner or group:
            shutil.chown(packed, owner or None, group or None)
        os.replace(packed, final)
    finally:
        remove(raw)
        remove(packed)
    print(json.dumps({"path": final, "size": os.path.getsize(final), "sha256": sha256(final)}))

def restore(db, source):
    if not os.path.isfile(source):
        fail("backup " + source + " does not exist")
    directory = os.path.dirname(os.path.abspath(db))
    temp = os.path.join(directory, ".rems-restore-" + os.path.basename(db) + ".tmp")
    safety = None
    try:
        opener = gzip.open if source.endswith(".gz") else open
        with opener(source, "rb") as src, open(temp, "wb") as out:
            shutil.copyfileobj(src, out)
        result = integrity_check(temp)
        if result != ["ok"]:
            fail("integrity_check of " + source + " failed: " + "; ".join(result[:5]))
        if os.path.isfile(db):
            # The current database is kept first, as a consistent copy, with its owner and mode.
            safety = db + ".before-restore-" + stamp()
            try:
                online_copy(db, safety)
            except sqlite3.Error:
                # A database too damaged to read (often why one restores) is kept as its raw files.
                remove(safety)
                shutil.copyfile(db, safety)
                if os.path.exists(db + "-wal"):
                    shutil.copyfile(db + "-wal", safety + "-wal")
            live = os.stat(db)
            for path in (temp, safety):
                os.chown(path, live.st_uid, live.st_gid)
                os.chmod(path, live.st_mode & 0o7777)
        os.replace(temp, db)
        # A WAL or shared-memory file left from the replaced database would be replayed into the restored one.
        for suffix in ("-wal", "-shm", "-journal"):
            remove(db + suffix)
    finally:
        remove(temp)
    print(json.dumps({"path": db, "safety_copy": safety, "sha256": sha256(db)}))

command = sys.argv[1]
if command == "backup":
    backup(*sys.argv[2:8])
elif command == "restore":
    restore(*sys.argv[2:4])
else:
    fail("unknown command " + command)
`;
