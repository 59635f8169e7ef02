"""A stand-in for REMS (Radiation Equipment Management System) that rems-play's demo and tests deploy.

It has what the installation guide relies on and nothing more: a Flask app object `app:app` for gunicorn, the SQLite
database `instance/physdb.db` created on first start with the `equipment` and `compliance_tests` tables (the guide's
backup test counts both), a `/health` route that proves the database opens, and a static file for nginx to serve.
"""
import os
import sqlite3

from flask import Flask, jsonify, render_template

app = Flask(__name__)
# The guide writes SECRET_KEY into .env; systemd's EnvironmentFile= hands it to the process.
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "")
DB_PATH = os.path.join(app.instance_path, "physdb.db")

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS equipment (id INTEGER PRIMARY KEY, name TEXT NOT NULL, location TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS compliance_tests (id INTEGER PRIMARY KEY,"
    " equipment_id INTEGER NOT NULL REFERENCES equipment(id), test_date TEXT NOT NULL, result TEXT NOT NULL)",
]
SEED_EQUIPMENT = [
    ("Linear accelerator LA-1", "Bunker 1"),
    ("CT simulator", "Imaging suite"),
    ("Dose calibrator", "Hot lab"),
]


def connect():
    # timeout: gunicorn's workers start together and may meet on the database lock the first time.
    return sqlite3.connect(DB_PATH, timeout=15)


def init_db():
    """Creates the schema and the seed rows once; safe when several workers start at the same moment."""
    os.makedirs(app.instance_path, exist_ok=True)
    conn = connect()
    try:
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        for statement in SCHEMA:
            conn.execute(statement)
        if conn.execute("SELECT COUNT(*) FROM equipment").fetchone()[0] == 0:
            conn.executemany("INSERT INTO equipment (name, location) VALUES (?, ?)", SEED_EQUIPMENT)
            conn.execute(
                "INSERT INTO compliance_tests (equipment_id, test_date, result) VALUES (1, '2026-01-15', 'pass')"
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


init_db()


@app.route("/")
def index():
    conn = connect()
    try:
        rows = conn.execute("SELECT id, name, location FROM equipment ORDER BY id").fetchall()
    finally:
        conn.close()
    return render_template("index.html", equipment=rows)


@app.route("/health")
def health():
    try:
        conn = connect()
        try:
            equipment = conn.execute("SELECT COUNT(*) FROM equipment").fetchone()[0]
            tests = conn.execute("SELECT COUNT(*) FROM compliance_tests").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as error:
        return jsonify(status="error", error=str(error)), 503
    return jsonify(status="ok", equipment=equipment, compliance_tests=tests, secret_key=bool(app.config["SECRET_KEY"]))
