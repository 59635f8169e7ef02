"""A second, unrelated stand-in app ("samplelog": a sample register) for rems-play's reuse test.

It deploys with the same roles as the REMS stand-in and differs only in variables: its own name, port, server name,
paths and database file (`instance/samplelog.db`, table `samples`).
"""
import os
import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "")
DB_PATH = os.path.join(app.instance_path, "samplelog.db")


def connect():
    return sqlite3.connect(DB_PATH, timeout=15)


def init_db():
    """Creates the table and one seed row once, also when several workers start together."""
    os.makedirs(app.instance_path, exist_ok=True)
    conn = connect()
    try:
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS samples (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        if conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0] == 0:
            conn.execute("INSERT INTO samples (label) VALUES ('first sample')")
        conn.execute("COMMIT")
    finally:
        conn.close()


init_db()


@app.route("/")
def index():
    conn = connect()
    try:
        count = conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
    finally:
        conn.close()
    return f'<!doctype html><title>samplelog</title><link rel="stylesheet" href="/static/samplelog.css"><h1>samplelog: {count} samples</h1>\n'


@app.route("/health")
def health():
    try:
        conn = connect()
        try:
            count = conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as error:
        return jsonify(status="error", error=str(error)), 503
    return jsonify(status="ok", samples=count, secret_key=bool(app.config["SECRET_KEY"]))
