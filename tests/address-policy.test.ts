// Which addresses a download may reach: a table of the ranges SSRF abuses,
// plus properties over random addresses.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPublicAddress } from "@/lib/files/address-policy";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.0.1",
    "169.254.169.254",
    "169.254.0.1",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "192.0.0.8",
    "::",
    "::1",
    "[::1]",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "febf::1",
    "ff02::1",
    "ff05::1:3",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.1.2.3",
    "::ffff:169.254.169.254",
    "::ffff:192.168.1.1",
    "::127.0.0.1",
    "64:ff9b::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1",
    "2002:c0a8:101::",
    "2001:db8::1",
    "2001::1",
    "3fff::1",
    "100::1",
    "not-an-ip",
    "",
    "localhost",
    "1.2.3",
    "999.1.1.1",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "11.0.0.1",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:81b::200e",
    "[2001:4860:4860::8888]",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("allows %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it("judges an IPv4 address and its IPv4-mapped IPv6 form alike", () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(isPublicAddress(`::ffff:${v4}`)).toBe(isPublicAddress(v4));
      }),
    );
  });

  it("refuses every address in 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, (a, b, c) => {
        for (const address of [
          `10.${a}.${b}.${c}`,
          `127.${a}.${b}.${c}`,
          `169.254.${b}.${c}`,
          `172.${16 + (a % 16)}.${b}.${c}`,
          `192.168.${b}.${c}`,
          `100.${64 + (a % 64)}.${b}.${c}`,
        ]) {
          expect(isPublicAddress(address), address).toBe(false);
        }
      }),
    );
  });

  it("refuses all of fc00::/7, fe80::/10 and ff00::/8", () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        const hex = (n: number) => n.toString(16);
        for (const first of [0xfc00 | (a & 0x1ff), 0xfe80 | (a & 0x3f), 0xff00 | (a & 0xff)]) {
          const address = `${hex(first)}:${hex(b)}::${hex(c)}`;
          expect(isPublicAddress(address), address).toBe(false);
        }
      }),
    );
  });
});
