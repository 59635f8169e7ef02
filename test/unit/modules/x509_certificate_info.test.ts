import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ModuleError } from "../../../engine/errors.js";
import x509CertificateInfo, { describeCertificate, pointInTime } from "../../../modules/x509_certificate_info.js";
import { runModuleCases } from "../../helpers/module-tester.js";
import { repoRoot } from "../../helpers/rems-play.js";

runModuleCases(x509CertificateInfo);

/** The PEM text a fixture of test/modules/x509_certificate_info/ gives as its one file_content fact. */
function fixturePem(file: string): string {
  const fixture = JSON.parse(readFileSync(join(repoRoot, "test/modules/x509_certificate_info", file), "utf8")) as { facts: { file_content: Record<string, { content: string }> } };
  const [fact] = Object.values(fixture.facts.file_content);
  assert.ok(fact, `${file} has a file_content fact`);
  return fact.content;
}

/**
 * Made once with `openssl req -x509 -multivalue-rdn` (valid until 2126): a multi-valued RDN, escaped characters,
 * UTF-8, and one alternative name of each usual kind, an IPv6 address and a DNS name with a comma among them.
 */
const NAMES_PEM = `-----BEGIN CERTIFICATE-----
MIICmjCCAj+gAwIBAgIULWFZ3NaV14s/5l0ZFZF4SZWU9MEwCgYIKoZIzj0EAwIw
fDELMAkGA1UEBhMCQ0gxDTALBgNVBAgMBEJlcm4xKDARBgNVBAsMCkxpbmFjK0Jl
YW0wEwYDVQQKDAxMYWIsIFBoeXNpY3MxFDASBgNVBAMMC1rDvHJpY2g9bGFiMR4w
HAYJKoZIhvcNAQkBFg9pdEBsYWIuaW50ZXJuYWwwIBcNMjYxMTI3MTM0MDI2WhgP
MjEyNjExMDMxMzQwMjZaMHwxCzAJBgNVBAYTAkNIMQ0wCwYDVQQIDARCZXJuMSgw
EQYDVQQLDApMaW5hYytCZWFtMBMGA1UECgwMTGFiLCBQaHlzaWNzMRQwEgYDVQQD
DAtaw7xyaWNoPWxhYjEeMBwGCSqGSIb3DQEJARYPaXRAbGFiLmludGVybmFsMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeqZdKliF2BP8pEv+LUoeiH2QkznFWVl4
wsrSZenOo2Prh5Ne/Swck7hqywgswvUnczm0qYuqLbSSzzT0WSh+wqOBnDCBmTB4
BgNVHREEcTBvghFyZW1zLmxhYi5pbnRlcm5hbIcEClgJAocQ/QAAAAAAAAAAAAAA
AAAAAoEPaXRAbGFiLmludGVybmFshhpodHRwczovL3JlbXMubGFiLmludGVybmFs
L4IVb2RkLG5hbWUubGFiLmludGVybmFsMB0GA1UdDgQWBBQrcqBf4rxEMkuLeuOT
ZzyDYYJUHzAKBggqhkjOPQQDAgNJADBGAiEA7SWBpNjdYAqs4dKjO9/LEGZ1k9ET
6aH492KNzElVk+wCIQCMcF+bNRg9jcOvsLqv4t6d9GEsmY2gf/iGfTwT9queaA==
-----END CERTIFICATE-----
`;

const NOW = new Date("2026-11-27T12:00:00Z");

describe("valid_at time specs, against a fixed clock", () => {
  const cases: [string, string][] = [
    ["+30d", "2026-12-27T12:00:00.000Z"],
    ["+2w", "2026-12-11T12:00:00.000Z"],
    ["+1w2d", "2026-12-06T12:00:00.000Z"],
    ["+12h", "2026-11-28T00:00:00.000Z"],
    ["+90m", "2026-11-27T13:30:00.000Z"],
    ["+45s", "2026-11-27T12:00:45.000Z"],
    ["+45", "2026-11-27T12:00:45.000Z"],
    ["-1h", "2026-11-27T11:00:00.000Z"],
    ["+1W2D3H4M5S", "2026-12-06T15:04:05.000Z"],
    ["+0s", "2026-11-27T12:00:00.000Z"],
    ["20261231000000Z", "2026-12-31T00:00:00.000Z"],
    ["202612310000Z", "2026-12-31T00:00:00.000Z"],
    ["20261231010000+0100", "2026-12-31T00:00:00.000Z"],
    ["202612302230-0130", "2026-12-31T00:00:00.000Z"],
  ];
  for (const [spec, expected] of cases) {
    test(`${spec} is ${expected}`, () => assert.equal(pointInTime("p", spec, NOW).toISOString(), expected));
  }

  for (const spec of ["+", "-", "30d", "+30x", "+1d1w", "+1.5d", "+ 1d", "now", "2026-12-31", "20261231Z", "20261231000000", "20261301000000Z", "20260230000000Z", "20261231240000Z", "+999999999999999w"]) {
    test(`${JSON.stringify(spec)} is refused`, () => {
      assert.throws(() => pointInTime("p", spec, NOW), (err: unknown) => err instanceof ModuleError && err.message.startsWith(`The timespec "${spec}" for valid_at.p is invalid`));
    });
  }
});

describe("a certificate read at a fixed clock", () => {
  const valid = fixturePem("valid_certificate.json");
  const notBefore = new Date("2026-01-01T00:00:00Z");
  const notAfter = new Date("2099-12-31T23:59:59Z");
  const second = 1000;

  test("valid_at includes both ends of the validity window and nothing outside it", () => {
    const points = {
      before: new Date(notBefore.getTime() - second),
      first: notBefore,
      last: notAfter,
      after: new Date(notAfter.getTime() + second),
    };
    const { output } = describeCertificate("/c.crt", valid, points, NOW);
    assert.deepEqual(output.valid_at, { before: false, first: true, last: true, after: false });
  });

  test("expired only once not_after has passed, and the reason says which side of the window now is", () => {
    const at = (now: Date): [unknown, string] => {
      const { output, reason } = describeCertificate("/c.crt", valid, {}, now);
      return [output.expired, reason];
    };
    assert.deepEqual(at(notAfter), [false, "certificate /c.crt valid until 2099-12-31 23:59:59 UTC"]);
    assert.deepEqual(at(new Date(notAfter.getTime() + second)), [true, "certificate /c.crt expired on 2099-12-31 23:59:59 UTC"]);
    assert.deepEqual(at(new Date("2025-06-01T00:00:00Z")), [false, "certificate /c.crt is not valid before 2026-01-01 00:00:00 UTC"]);
  });

  test("names come with Ansible's long attribute names, unescaped, in the certificate's order", () => {
    const { output } = describeCertificate("/names.crt", NAMES_PEM, {}, NOW);
    assert.deepEqual(output.subject_ordered, [
      ["countryName", "CH"],
      ["stateOrProvinceName", "Bern"],
      ["organizationalUnitName", "Linac+Beam"],
      ["organizationName", "Lab, Physics"],
      ["commonName", "Zürich=lab"],
      ["emailAddress", "it@lab.internal"],
    ]);
    assert.deepEqual(output.issuer, output.subject);
    assert.equal((output.subject as Record<string, string>).commonName, "Zürich=lab");
    assert.deepEqual(output.subject_alt_name, [
      "DNS:rems.lab.internal",
      "IP:10.88.9.2",
      "IP:fd00::2",
      "email:it@lab.internal",
      "URI:https://rems.lab.internal/",
      "DNS:odd,name.lab.internal",
    ]);
    assert.equal(output.not_after, "21261103134026Z");
    assert.match(String(output.public_key), /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
  });

  test("a PEM block that is not a certificate's DER fails with OpenSSL's reason", () => {
    assert.throws(
      () => describeCertificate("/bad.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", {}, NOW),
      (err: unknown) => err instanceof ModuleError && /^Error while decoding certificate \/bad\.crt: \S/.test(err.message),
    );
  });
});
