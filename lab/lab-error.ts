import { RemsError } from "../engine/errors.js";

/** The lab could not be built, booted or torn down; the message says what to do about it. */
export class LabError extends RemsError {
  readonly code = "REMS_LAB";
}
