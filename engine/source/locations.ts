/**
 * Source positions of loaded values. The loaders turn YAML into plain JS values (what the executor works with)
 * and record here, per object or array, where it and each of its keys/items came from, so any later error —
 * loader, executor, role variable check — can say file:line:col without carrying YAML nodes around.
 *
 * Unlike the "unsafe" mark (template/scope.ts), which is a property of the data and travels with every copy of
 * it, a location belongs to one loaded container: a copy that merges containers from several files (variable
 * layers merged by precedence) has no single place, so the record stays with the container the loader made and a
 * copy takes it only when it is the same keys in the same place (shareLocations, copyKeyLocation).
 */
import type { SourceLocation } from "../errors.js";

interface ContainerLocations {
  self: SourceLocation;
  /** Where each mapping key (or sequence item) starts. */
  keys: Map<string | number, SourceLocation>;
  /** Where each value starts (for a sequence item, the same as its key). */
  values: Map<string | number, SourceLocation>;
}

const table = new WeakMap<object, ContainerLocations>();

function entry(container: object, self: SourceLocation): ContainerLocations {
  let found = table.get(container);
  if (!found) {
    found = { self, keys: new Map(), values: new Map() };
    table.set(container, found);
  }
  return found;
}

/** Records where a container starts. Keeps an earlier record of the same container. */
export function recordContainer(container: object, self: SourceLocation): void {
  entry(container, self);
}

/** Records where a key of a container and its value start. */
export function recordKey(container: object, key: string | number, keyLoc: SourceLocation, valueLoc: SourceLocation = keyLoc): void {
  const found = entry(container, keyLoc);
  found.keys.set(key, keyLoc);
  found.values.set(key, valueLoc);
}

/**
 * Where a container starts, or where one of its keys (mapping) or items (sequence) starts. Falls back to the
 * container itself when the key has no record (a key added by the loader).
 */
export function locationOf(container: object, key?: string | number): SourceLocation | undefined {
  const found = table.get(container);
  if (!found) return undefined;
  if (key === undefined) return found.self;
  return found.keys.get(key) ?? found.self;
}

/** Where the value of a key starts (the place to blame for a wrong value). */
export function valueLocationOf(container: object, key: string | number): SourceLocation | undefined {
  const found = table.get(container);
  if (!found) return undefined;
  return found.values.get(key) ?? found.keys.get(key) ?? found.self;
}

/** Copies the record of `key` in `from` to `newKey` in `to` (for values the loader moves between objects). */
export function copyKeyLocation(from: object, key: string | number, to: object, newKey: string | number = key): void {
  const found = table.get(from);
  if (!found) return;
  const keyLoc = found.keys.get(key) ?? found.self;
  recordKey(to, newKey, keyLoc, found.values.get(key) ?? keyLoc);
}

/** Gives `to` the same records as `from` (a copy of an object with the same keys). */
export function shareLocations(from: object, to: object): void {
  const found = table.get(from);
  if (found) table.set(to, found);
}
