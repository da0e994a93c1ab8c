/** WebSocket close codes of PROTOCOL section 1, the one mapping at this edge. */
export const CLOSE_CODE = {
  normal: 1000,
  goingAway: 1001,
  tooLarge: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  roomFull: 4409,
  tooManyConnections: 4429,
  removedByOperator: 4000,
} as const;
