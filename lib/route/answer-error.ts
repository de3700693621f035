import { z } from "zod";
import { AppError, appErrorResponse, zodIssues } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { isDataException } from "@/lib/text/storable-text";

/**
 * Any error a route handler let through, as the AppError it answers as. The only translation of errors into
 * answers: AppErrors (domain errors among them) keep their code; a zod error is the caller's bad input; a value
 * PostgreSQL refused is bad input too (a NUL that slipped past a check), never a 500. Anything else is a bug:
 * logged with `label`, answered with a message that gives nothing away.
 */
export function toAppError(error: unknown, label: string): AppError {
  if (error instanceof AppError) {
    if (error.status >= 500 || error.log) {
      console.error(`[${label}] ${error.code}: ${error.log ?? describeError(error)}`);
    }
    return error;
  }
  if (error instanceof z.ZodError) {
    return new AppError("bad_request", "invalid input", { details: { issues: zodIssues(error) } });
  }
  if (isDataException(error)) {
    console.error(`[${label}] a value could not be stored: ${describeError(error)}`);
    return new AppError("bad_request", "a value could not be stored");
  }
  console.error(`[${label}] ${describeError(error)}`);
  return new AppError("internal", "internal error: the server log has the details");
}

export function answerError(error: unknown, label: string): Response {
  return appErrorResponse(toAppError(error, label));
}
