/** The linear one-edit test the variable typo check uses agrees with the edit distance everywhere. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { editDistance, oneEditApart } from "../../../engine/did-you-mean.js";

test("oneEditApart(a, b) is editDistance(a, b) === 1: substitution, insertion, deletion, adjacent transposition", () => {
  assert.equal(oneEditApart("sever_name", "server_name"), true);
  assert.equal(oneEditApart("server_nmae", "server_name"), true);
  assert.equal(oneEditApart("server_namex", "server_name"), true);
  assert.equal(oneEditApart("server_nane", "server_name"), true);
  assert.equal(oneEditApart("server_name", "server_name"), false);
  assert.equal(oneEditApart("srever_nmae", "server_name"), false);
  // A small alphabet makes near misses (repeated letters, swaps next to a change) common.
  const name = fc.string({ unit: fc.constantFrom("a", "b", "c", "_"), maxLength: 7 });
  fc.assert(
    fc.property(name, name, (a, b) => oneEditApart(a, b) === (editDistance(a, b) === 1)),
    { numRuns: 20000 },
  );
  fc.assert(
    fc.property(name, fc.nat(8), fc.constantFrom("a", "b", "c", "_"), (a, at, letter) => {
      const i = Math.min(at, a.length);
      const variants = [a.slice(0, i) + letter + a.slice(i), a.slice(0, i) + a.slice(i + 1), a.slice(0, i) + letter + a.slice(i + 1), a.slice(0, i) + a.slice(i + 1, i + 2) + a.slice(i, i + 1) + a.slice(i + 2)];
      return variants.every((b) => oneEditApart(a, b) === (editDistance(a, b) === 1));
    }),
    { numRuns: 5000 },
  );
});
