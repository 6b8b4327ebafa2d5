/** Types of the `sns-validator` package (AWS's SNS message validator for Node.js; it ships none). */
declare module 'sns-validator' {
  export default class MessageValidator {
    constructor(hostPattern?: RegExp, encoding?: string);
    validate(message: string | Record<string, unknown>, cb: (err: Error | null, message?: Record<string, unknown>) => void): void;
  }
}
