import { describe, expect, it } from "vitest";
import { findUnstorableText, isDataException, storableText } from "./storable-text";

describe("storable text", () => {
  it("finds NUL and lone surrogates in keys and values at any depth", () => {
    expect(findUnstorableText({ a: "fine", b: { c: ["x", "y\u0000z"] } })).toBe("body.b.c.1");
    expect(findUnstorableText({ "bad\u0000key": "v" })).toBe("body.bad\\u0000key");
    expect(findUnstorableText({ s: "\ud83d" })).toBe("body.s");
    expect(findUnstorableText({ s: "\ude00x" })).toBe("body.s");
    expect(findUnstorableText({ ok: "emoji 😀 and ünïcödé", n: 12, t: true, z: null })).toBeUndefined();
  });

  it("makes text storable for logs", () => {
    expect(storableText("a\u0000b\ud800c😀")).toBe("a\\u0000b\ufffdc😀");
  });

  it("recognises PostgreSQL data exceptions, also when wrapped", () => {
    expect(isDataException({ code: "22021" })).toBe(true);
    expect(isDataException(new Error("wrapped", { cause: { code: "22P05" } }))).toBe(true);
    expect(isDataException({ code: "08006" })).toBe(false);
    expect(isDataException(new Error("no code"))).toBe(false);
  });
});
