import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { serve } from "./http-server";

/**
 * The far ends of the alert channels, on loopback: one HTTP server standing in for Slack, Discord, Telegram's Bot
 * API and a generic receiver (every request recorded by path; `answer` may refuse some), and a real SMTP server
 * (the smtp-server package) whose mail is parsed by mailparser.
 */

export type ReceivedRequest = { path: string; headers: Record<string, string>; body: string; json: unknown };

export async function startAlertReceivers(
  options: { answer?: (r: ReceivedRequest, index: number) => number } = {},
) {
  const requests: ReceivedRequest[] = [];
  const http = await serve(async (request) => {
    const body = await request.text();
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const received = {
      path: new URL(request.url).pathname,
      headers: Object.fromEntries(request.headers),
      body,
      json,
    };
    requests.push(received);
    const status = options.answer?.(received, requests.length - 1) ?? 200;
    return new Response(status < 300 ? '{"ok":true}' : '{"ok":false}', { status });
  });

  const mail: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onAuth(auth, _session, callback) {
      if (auth.username === "alerts" && auth.password === "s3cret/pass")
        return callback(null, { user: "alerts" });
      return callback(new Error("wrong credentials"));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mail.push(parsed);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  return {
    origin: http.origin,
    requests,
    mail,
    /** With a user name and a password that needs encoding (the `/`), as real ones do. */
    smtpUrl: `smtp://alerts:${encodeURIComponent("s3cret/pass")}@127.0.0.1:${smtpPort}`,
    close: async () => {
      await http.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
