import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The problem types this API answers with (RFC 9457 `type`; urn:edge:problem:<code>). */
export const PARTNER_PROBLEM_TYPES = {
  400: ['validation-failed', 'malformed-json', 'invalid-header', 'bad-request'],
  401: ['unauthorized', 'invalid-token'],
  403: ['forbidden', 'insufficient-scope'],
  404: ['not-found'],
  409: ['conflict'],
  413: ['payload-too-large'],
  415: ['unsupported-media-type'],
  422: ['idempotency-key-reused'],
  428: ['precondition-required'],
  429: ['rate-limited', 'quota-exceeded'],
  502: ['bad-gateway'],
  503: ['upstream-unavailable', 'circuit-open', 'overloaded', 'dependency-unavailable', 'draining'],
  504: ['gateway-timeout'],
} as const satisfies Record<number, readonly string[]>;

export class FieldError {
  @ApiProperty({ description: 'Where: `items[1].quantity`, a query parameter, or a header', example: 'items[0].quantity' }) field!: string;
  @ApiProperty({ example: 'must be <= 100' }) detail!: string;
}

/** RFC 9457 problem details: every error of this API is `application/problem+json` of this shape. */
export class Problem {
  @ApiProperty({ format: 'uri', description: 'Stable problem type: branch on this', example: 'urn:edge:problem:validation-failed' }) type!: string;
  @ApiProperty({ example: 'Request validation failed' }) title!: string;
  @ApiProperty({ type: 'integer', description: 'The HTTP status', example: 400 }) status!: number;
  @ApiPropertyOptional({ example: 'The request has invalid fields.' }) detail?: string;
  @ApiPropertyOptional({ description: 'The request path', example: '/partner/v2/orders' }) instance?: string;
  @ApiPropertyOptional({ description: 'Quote it when contacting support', example: '5d0f1c6a-2b7e-4d35-9a8f-1f0e2c3b4a59' }) requestId?: string;
  @ApiPropertyOptional({ description: 'W3C trace id', example: '4bf92f3577b34da6a3ce929d0e0e4736' }) traceId?: string;
  @ApiPropertyOptional({ type: [FieldError], description: 'validation-failed: every invalid field' }) errors?: FieldError[];
}

/** A per-item problem inside an operation result (no correlation members). */
export class ItemProblem {
  @ApiProperty({ format: 'uri', example: 'urn:edge:problem:validation-failed' }) type!: string;
  @ApiProperty({ example: 'Request validation failed' }) title!: string;
  @ApiProperty({ type: 'integer', example: 400 }) status!: number;
  @ApiPropertyOptional({ example: 'The request has invalid fields.' }) detail?: string;
  @ApiPropertyOptional({ type: [FieldError] }) errors?: FieldError[];
}
