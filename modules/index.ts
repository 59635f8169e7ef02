/**
 * The explicit module registry (ESLint style), sorted by name. A module is registered here by the same name as
 * its file; test/unit/meta/modules.test.ts holds every module to that and to having tests, fixtures and docs.
 */
import type { AnyModule } from "../engine/module-api.js";
import apt from "./apt.js";
import apt_key from "./apt_key.js";
import apt_repository from "./apt_repository.js";
import blockinfile from "./blockinfile.js";
import command from "./command.js";
import copy from "./copy.js";
import cron from "./cron.js";
import file from "./file.js";
import get_url from "./get_url.js";
import getent from "./getent.js";
import group from "./group.js";
import lineinfile from "./lineinfile.js";
import locale_gen from "./locale_gen.js";
import openssh_keypair from "./openssh_keypair.js";
import package_ from "./package.js";
import package_facts from "./package_facts.js";
import pamd from "./pamd.js";
import pause from "./pause.js";
import pip from "./pip.js";
import postgresql_db from "./postgresql_db.js";
import postgresql_privs from "./postgresql_privs.js";
import postgresql_user from "./postgresql_user.js";
import replace from "./replace.js";
import service from "./service.js";
import service_facts from "./service_facts.js";
import shell from "./shell.js";
import slurp from "./slurp.js";
import sqlite_backup from "./sqlite_backup.js";
import stat from "./stat.js";
import sysctl from "./sysctl.js";
import systemd from "./systemd.js";
import tempfile from "./tempfile.js";
import template from "./template.js";
import timezone from "./timezone.js";
import ufw from "./ufw.js";
import uri from "./uri.js";
import user from "./user.js";
import wait_for from "./wait_for.js";
import x509_certificate_info from "./x509_certificate_info.js";

const modules: readonly AnyModule[] = [apt, apt_key, apt_repository, blockinfile, command, copy, cron, file, get_url, getent, group, lineinfile, locale_gen, openssh_keypair, package_, package_facts, pamd, pause, pip, postgresql_db, postgresql_privs, postgresql_user, replace, service, service_facts, shell, slurp, sqlite_backup, stat, sysctl, systemd, tempfile, template, timezone, ufw, uri, user, wait_for, x509_certificate_info];

export const registry: ReadonlyMap<string, AnyModule> = new Map(modules.map((module) => [module.name, module]));
