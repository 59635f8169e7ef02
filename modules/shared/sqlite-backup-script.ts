/**
 * The Python program sqlite_backup streams to `python3 -` on the host (python3 is on every Debian host; the sqlite3
 * CLI may not be). It uses SQLite's online backup API, which copies a consistent snapshot while the app keeps
 * writing, and checks every copy with PRAGMA integrity_check before it counts. Prints one JSON line.
 *
 *   python3 - backup  DB DEST_DIR COMPRESS(gzip|none) MODE OWNER GROUP   → {"path", "size", "sha256"}
 *   python3 - restore DB BACKUP_FILE                                      → {"path", "safety_copy", "sha256"}
 *
 * Every file is written under a temporary name in its final directory and renamed into place, so a failure or a
 * dropped connection never leaves a half-written backup or database behind. A restore writes into a directory the
 * app's service user owns: there it only creates new files (O_EXCL|O_NOFOLLOW, through a descriptor of the
 * directory), so no file or link that user planted is written through or chowned (issue 16, item 1).
 */
export const SQLITE_BACKUP_SCRIPT = String.raw`
import gzip, hashlib, json, os, shutil, sqlite3, sys, tempfile, time, urllib.parse

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

def create_exclusive(dir_fd, prefix, random_suffix):
    # A name we create ourselves (O_EXCL, O_NOFOLLOW): never a file or a symbolic link someone else put there.
    for _ in range(100 if random_suffix else 1):
        name = prefix + (os.urandom(6).hex() if random_suffix else "")
        try:
            return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dir_fd)
        except FileExistsError:
            continue
    fail("could not create " + prefix + " beside the database: the name is taken")

def place_copy(dir_fd, prefix, source, uid, gid, mode, random_suffix=True):
    # Writes source's bytes into a new file of the database's directory, owned and moded through the descriptor.
    name, fd = create_exclusive(dir_fd, prefix, random_suffix)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        if uid is not None:
            os.fchown(out.fileno(), uid, gid)
        os.fchmod(out.fileno(), mode)
        os.fsync(out.fileno())
        ino = os.fstat(out.fileno()).st_ino
    return name, ino

def unlink_at(dir_fd, name):
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        pass

def restore(db, source):
    # The database's directory usually belongs to the app's service user, who may plant files and symbolic links
    # in it: every file written there is new (O_EXCL), made through a descriptor of the directory, owned through
    # its own descriptor, and the work on SQLite files is done in a private root-only directory.
    if not os.path.isfile(source):
        fail("backup " + source + " does not exist")
    directory, base = os.path.split(os.path.abspath(db))
    if os.path.islink(db):
        fail(db + " is a symbolic link: refusing to restore over it")
    work = tempfile.mkdtemp(prefix="rems-restore-")
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    placed = None
    safety = None
    try:
        restored = os.path.join(work, "restored.db")
        opener = gzip.open if source.endswith(".gz") else open
        with opener(source, "rb") as src, open(restored, "wb") as out:
            shutil.copyfileobj(src, out)
        result = integrity_check(restored)
        if result != ["ok"]:
            fail("integrity_check of " + source + " failed: " + "; ".join(result[:5]))
        uid = gid = None
        mode = 0o600
        if os.path.isfile(db):
            live = os.stat(base, dir_fd=dir_fd, follow_symlinks=False)
            uid, gid, mode = live.st_uid, live.st_gid, live.st_mode & 0o777
            # The current database is kept first, as a consistent copy, with its owner and mode.
            kept = os.path.join(work, "safety.db")
            raw_wal = None
            try:
                online_copy(db, kept)
            except sqlite3.Error:
                # A database too damaged to read (often why one restores) is kept as its raw files.
                remove(kept)
                shutil.copyfile(db, kept)
                if os.path.isfile(db + "-wal"):
                    raw_wal = os.path.join(work, "safety.db-wal")
                    shutil.copyfile(db + "-wal", raw_wal)
            name, _ = place_copy(dir_fd, base + ".before-restore-" + stamp() + "-", kept, uid, gid, mode)
            safety = os.path.join(directory, name)
            if raw_wal is not None:
                place_copy(dir_fd, name + "-wal", raw_wal, uid, gid, mode, random_suffix=False)
        placed, ino = place_copy(dir_fd, ".rems-restore-", restored, uid, gid, mode)
        os.replace(placed, base, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        placed = None
        if os.stat(base, dir_fd=dir_fd, follow_symlinks=False).st_ino != ino:
            fail("the database directory " + directory + " changed during the restore")
        # A WAL or shared-memory file left from the replaced database would be replayed into the restored one.
        for suffix in ("-wal", "-shm", "-journal"):
            unlink_at(dir_fd, base + suffix)
        digest = sha256(restored)
    finally:
        if placed is not None:
            unlink_at(dir_fd, placed)
        os.close(dir_fd)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"path": db, "safety_copy": safety, "sha256": digest}))

command = sys.argv[1]
if command == "backup":
    backup(*sys.argv[2:8])
elif command == "restore":
    restore(*sys.argv[2:4])
else:
    fail("unknown command " + command)
`;
