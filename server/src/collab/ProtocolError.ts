/** A connection broke the protocol or a rule: the room closes it with `closeCode` and logs `message`. */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message)
  }
}
