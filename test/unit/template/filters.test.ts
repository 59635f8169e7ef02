/**
 * Filters whose exact output matters beyond the golden files: crypt hashes against known vectors (glibc crypt(3)
 * and the SHA-crypt specification), shell quoting through engine/command.ts, Python's JSON layout.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { renderString, renderValue } from "../../../engine/template/render.js";
import { shaCrypt } from "../../../engine/template/sha-crypt.js";

const where = { task: "filters" };

describe("password_hash('sha512')", () => {
  test("matches glibc crypt(3) and the specification's vectors", () => {
    // python3 -c "import crypt; print(crypt.crypt('pw', '$6$saltsalt'))" and `openssl passwd -6 -salt saltsalt pw`
    assert.equal(shaCrypt("sha512", "pw", "saltsalt"),
      "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/");
    // From https://www.akkadia.org/drepper/SHA-crypt.txt (salt cut to 16 characters, explicit rounds).
    assert.equal(shaCrypt("sha512", "Hello world!", "saltstringsaltstring", 10000),
      "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.");
    assert.equal(shaCrypt("sha512", "", "abc"),
      "$6$abc$mJP3a6FyA8uCnzRtlnNypPwjnvpi5TP9qOrInzrfDmwxUQG38PkpCPdqfTb8JQfAngapMxeim4AZ..hSdRRzD.");
  });

  test("the filter takes the salt as second argument, and makes a random 16-character salt without one", () => {
    assert.equal(renderString("{{ 'pw' | password_hash('sha512', 'saltsalt') }}", {}, where),
      "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/");
    const random = renderString("{{ 'pw' | password_hash('sha512') }}", {}, where);
    assert.match(random, /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    const salt = random.split("$")[2] ?? "";
    assert.equal(shaCrypt("sha512", "pw", salt), random);
  });

  test("sha256 and the passlib names, as ansible 2.14 hashes them", () => {
    // ansible 2.14: "{{ 'secret' | password_hash(TYPE, 'mysalt' [, rounds=N]) }}"
    const cases: [string, string][] = [
      ["'sha512', 'mysalt'", "$6$mysalt$UX6P1VKOf6dr0s2pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1"],
      ["'sha512_crypt', 'mysalt'", "$6$mysalt$UX6P1VKOf6dr0s2pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1"],
      ["'sha512', 'mysalt', rounds=5000", "$6$rounds=5000$mysalt$UX6P1VKOf6dr0s2pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1"],
      ["'sha256', 'mysalt'", "$5$mysalt$I2SNajjJ3Gc5gIR/tkrLOGngF8wqv59buJCqxh.o9s8"],
      ["'sha256', 'mysalt', rounds=10000", "$5$rounds=10000$mysalt$RK8oV3aZ0mdR6FVKOsrBjdx9qLpoXF151qNsu.uoLzD"],
    ];
    for (const [args, expected] of cases) assert.equal(renderString(`{{ 'secret' | password_hash(${args}) }}`, {}, where), expected, args);
  });

  test("other hash types and bad salts are refused with a clear message", () => {
    assert.throws(() => renderString("{{ 'pw' | password_hash('md5') }}", {}, where), {
      message: "password_hash: \"md5\" is not supported (sha512, sha512_crypt, sha256, sha256_crypt are)",
    });
    assert.throws(() => renderString("{{ 'pw' | password_hash('sha512', 'a$b') }}", {}, where), { message: "password_hash: invalid characters in salt" });
  });
});

describe("quote", () => {
  test("quotes for the shell as engine/command.ts does", () => {
    assert.equal(renderString("echo {{ msg | quote }}", { msg: "it's $HOME" }, where), `echo 'it'"'"'s $HOME'`);
    assert.equal(renderString("{{ 'safe/path.txt' | quote }}", {}, where), "safe/path.txt");
  });
});

describe("to_json and to_nice_json", () => {
  test("Python's separators, key order kept by to_json and sorted by to_nice_json", () => {
    const vars = { v: { b: [1, "x"], a: { c: null } } };
    assert.equal(renderString("{{ v | to_json }}", vars, where), '{"b": [1, "x"], "a": {"c": null}}');
    assert.equal(renderString("{{ v | to_nice_json }}", vars, where),
      '{\n    "a": {\n        "c": null\n    },\n    "b": [\n        1,\n        "x"\n    ]\n}');
  });
  test("from_json and from_yaml give native values", () => {
    assert.deepEqual(renderValue("{{ '[1, {\"a\": true}]' | from_json }}", {}, where), [1, { a: true }]);
    assert.deepEqual(renderValue("{{ text | from_yaml }}", { text: "a: yes\nn: n\nl: [1, 2]\n" }, where), { a: true, n: "n", l: [1, 2] });
  });
});

describe("hash", () => {
  test("hex digests like Python's hashlib", () => {
    assert.equal(renderString("{{ 'abc' | hash('sha256') }}", {}, where), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(renderString("{{ 'abc' | hash('md5') }}", {}, where), "900150983cd24fb0d6963f7d28e17f72");
    assert.equal(renderString("{{ 'abc' | hash }}", {}, where), "a9993e364706816aba3e25717850c26c9cd0d89d");
  });
});
