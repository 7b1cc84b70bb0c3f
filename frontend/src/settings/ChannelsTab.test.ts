import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ChannelAccount, ChannelProvider } from "../api/types";
import { makeT } from "../i18n";
import { AccountDialog, AccountList, accountBody, dropsCredentials, fieldLabel, formOf } from "./ChannelsTab";

const PROVIDERS: ChannelProvider[] = [
  { channel: "line", provider: "line", credentials: ["channel_access_token", "channel_secret"], settings: ["base_url"] },
  { channel: "sms", provider: "twilio", credentials: ["account_sid", "auth_token"], settings: ["from_number", "base_url"] },
  { channel: "email", provider: "smtp", credentials: [], settings: [] },
];
const LINE: ChannelAccount = {
  id: 7,
  channel: "line",
  provider: "line",
  name: "Shop OA",
  settings: { base_url: "https://api.line.me" },
  credential_fields: ["channel_access_token", "channel_secret"],
  is_default: true,
  created_at: "2026-12-01T00:00:00Z",
  updated_at: "2026-12-01T00:00:00Z",
};
const noop = () => {};
const dialog = (editing: ChannelAccount | null, providers = PROVIDERS) =>
  renderToString(createElement(AccountDialog, { providers, editing, onClose: noop, onSaved: noop }));
const input = (html: string, testId: string) => html.match(new RegExp(`<input[^>]*data-testid="${testId}"[^>]*>`))?.[0] ?? "";

describe("Channels tab", () => {
  it("shows the provider's credential fields as empty password inputs and its settings as text", () => {
    const html = dialog(null, [PROVIDERS[1]]);
    for (const field of ["account_sid", "auth_token"]) {
      expect(input(html, `channel-credential-${field}`)).toContain('type="password"');
    }
    expect(input(html, "channel-setting-from_number")).not.toContain("password");
    expect(html).toContain("Auth token");
    expect(html).not.toContain("channel-credential-channel_secret");
  });

  it("edits an account without its secrets: inputs empty, saying a saved one is kept; channel fixed", () => {
    const html = dialog(LINE);
    const secret = input(html, "channel-credential-channel_secret");
    expect(secret).toContain('type="password"');
    expect(secret).toContain('value=""');
    expect(secret).toContain("leave empty to keep it");
    expect(input(html, "channel-setting-base_url")).toContain('value="https://api.line.me"');
    expect(html).toMatch(/<select[^>]*data-testid="channel-channel"[^>]*disabled/);
  });

  it("a provider without fields says so", () => {
    expect(dialog(null, [PROVIDERS[2]])).toContain('data-testid="channel-no-fields"');
  });

  it("sends credentials only when typed on an edit, and all of them on a new account", () => {
    const form = formOf(LINE);
    expect(accountBody(form, PROVIDERS[0], LINE)).toEqual({ name: "Shop OA", settings: { base_url: "https://api.line.me" } });
    const typed = { ...form, credentials: { channel_secret: "s3cret" } };
    expect(accountBody(typed, PROVIDERS[0], LINE).credentials).toEqual({ channel_secret: "s3cret" });
    expect(dropsCredentials(typed, LINE)).toEqual(["channel_access_token"]);
    const fresh = { ...typed, name: " New ", isDefault: true, settings: { base_url: " " } };
    expect(accountBody(fresh, PROVIDERS[0], null)).toEqual({
      name: "New",
      settings: {},
      channel: "line",
      provider: "line",
      credentials: { channel_secret: "s3cret" },
      is_default: true,
    });
  });

  it("lists accounts by channel with a default badge, labelled in both languages", () => {
    const other = { ...LINE, id: 8, name: "Backup", is_default: false };
    const html = renderToString(createElement(AccountList, { accounts: [LINE, other], onEdit: noop, onDelete: noop, onDefault: noop }));
    expect(html).toContain('data-testid="channel-default-7"');
    expect(html).not.toContain('data-testid="channel-default-8"');
    expect(html).toContain('data-testid="channel-make-default-8"');
    expect(fieldLabel("auth_token", makeT("zh-TW"))).toBe("Auth Token");
    expect(makeT("zh-TW")("settings.tab.channels")).toBe("發送管道");
  });
});
