/**
 * Decides, exactly once, what the sender of a notification is told: 200 because the statement storing it is
 * with the database, or 503 because the deadline came first. Whichever happens first wins, so the delivery log never records
 * `applied / 200` for a request that was answered 503:
 * - the applying statement (one atomic call of ingest_observation) calls `enterSend()` just before it is sent;
 *   if the 503 already went out it throws and nothing is sent (the sender will send again, or an operator
 *   replays it);
 * - the deadline calls `timeOut()`; it may answer 503 only while nothing has been sent.
 */
export class AnswerGate {
  private state: "working" | "sent" | "timed_out" = "working";

  enterSend(): void {
    if (this.state === "timed_out") throw new AnswerAlreadySentError();
    this.state = "sent";
  }

  /** True when the 503 may be sent now; false when the statement is already with the database and its result must be awaited. */
  timeOut(): boolean {
    if (this.state !== "working") return false;
    this.state = "timed_out";
    return true;
  }
}

export class AnswerAlreadySentError extends Error {
  override name = "AnswerAlreadySentError";
  constructor() {
    super("the deadline answered 503 before this transaction could commit; rolled back");
  }
}
