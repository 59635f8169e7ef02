/**
 * A host's start in a play: connect, take the host's run lock (shared for an audit, exclusive for a run that
 * changes it), then read the run record and gather facts in one round trip. A host that cannot start leaves the
 * run, reported under "Gathering Facts" as unreachable (connection) or failed (lock, facts).
 */
import { ConnectionError, RemsError } from "../errors.js";
import { GATHERING_FACTS_ORDER, type EventSink, type LastApplied } from "../events.js";
import { hostFacts } from "../gather-facts.js";
import type { Play, Vars } from "../types.js";
import type { HostRun } from "./host-run.js";
import { lockName } from "./host-lock.js";
import { runRecordFact, type RunRecord } from "./run-record.js";

export const GATHERING_FACTS = "Gathering Facts";

export interface StartSettings {
  emit: EventSink;
  check: boolean;
  lockWaitSeconds: number;
}

export async function startHost(host: HostRun, play: Play, settings: StartSettings): Promise<boolean> {
  const { emit } = settings;
  const started = Date.now();
  const task = GATHERING_FACTS;
  try {
    if (!host.recordRead) {
      await host.connect();
      emit({ type: "host_connected", host: host.name, durationMs: Date.now() - started });
      // Before the record is read: another run may be about to write it.
      await host.takeLock({
        exclusive: !settings.check,
        waitSeconds: settings.lockWaitSeconds,
        waiting: () => emit({ type: "warning", host: host.name, message: `another rems-play run holds this host (lock ${lockName(host.name)}); waiting up to ${settings.lockWaitSeconds} s for it to finish` }),
        unlocked: () => emit({ type: "warning", host: host.name, message: `${host.probeUser ?? host.loginUser} has no place on the host for the run lock (/var/lib/rems-play or ~/.rems-play): this run is not kept apart from others on the host` }),
      });
      // The run record travels in the same round trip as the facts.
      const record = { fact: runRecordFact, args: host.recordArgs };
      const wanted = play.gather_facts && !host.gathered ? [record, { fact: hostFacts, args: {} }] : [record];
      const [previous, facts] = await host.facts.get(wanted);
      host.readRecord(previous as RunRecord | undefined);
      if (facts) host.gather(facts as Vars);
      emit({ type: "host_state", host: host.name, lastApplied: lastApplied(host.previousRecord) });
    }
    if (play.gather_facts && !host.gathered) host.gather((await host.facts.get([{ fact: hostFacts, args: {} }]))[0] as Vars);
    if (play.gather_facts) {
      emit({ type: "task_result", host: host.name, task, order: GATHERING_FACTS_ORDER, status: "ok", durationMs: Date.now() - started });
      host.count("ok");
    }
    return true;
  } catch (error) {
    const rems = error instanceof RemsError ? error : new ConnectionError(String(error), { host: host.name }, { cause: error });
    const unreachable = rems instanceof ConnectionError;
    emit({
      type: "task_result",
      host: host.name,
      task,
      order: GATHERING_FACTS_ORDER,
      status: unreachable ? "unreachable" : "failed",
      error: { code: rems.code, message: rems.describe() },
      durationMs: Date.now() - started,
    });
    host.count(unreachable ? "unreachable" : "failed");
    return false;
  }
}

function lastApplied(record: RunRecord | undefined): LastApplied | undefined {
  return record ? { at: record.at, playbook: record.playbook, ...(record.commit ? { commit: record.commit } : {}) } : undefined;
}
