/**
 * How long a sign-in lasts. Absolute: a session ends 12 hours after sign-in whatever happens (a working day).
 * Idle: it ends after 30 minutes without a request. An open dashboard polls, so it stays signed in while it is
 * watched; a laptop closed at lunch is signed out. Activity is written at most once a minute per session.
 */
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_TOUCH_SECONDS = 60;
