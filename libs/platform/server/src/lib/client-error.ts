import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { problem, toProblemResponse, PROBLEM_CONTENT_TYPE } from '@edge/problem-details';

interface ParserError extends Error {
  code?: string;
}

/**
 * Writes a problem+json response straight to a socket that has no response object (the
 * parser failed, or the request was a CONNECT), then closes it.
 */
function endWithProblem(socket: Duplex, status: number, body: object, extraHeaders = ''): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n${extraHeaders}connection: close\r\n\r\n${payload}`,
  );
}

/**
 * Errors the HTTP parser raises before any route runs (oversized or malformed headers):
 * answered as problem+json on the socket, then closed. 431 for header overflow.
 */
export function writeClientError(error: ParserError, socket: Socket): void {
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const { body } = toProblemResponse(Object.assign(new Error(status === 431 ? 'headers-too-large' : 'bad-request'), { statusCode: status, code: status === 431 ? 'headers-too-large' : undefined }));
  if (status === 408) {
    body.type = 'about:blank';
    body.title = 'Request timeout';
  }
  endWithProblem(socket, status, body);
}

/** The methods the apps serve, for the Allow header of a refused CONNECT. */
const SERVED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * CONNECT (a tunnel request): no app here is a forward proxy. Node closes the socket without
 * a word when nobody listens for it; this answers 405 as problem+json first.
 */
export function refuseConnect(_request: unknown, socket: Duplex): void {
  const { body } = toProblemResponse(problem('method-not-allowed', { detail: 'CONNECT is not supported.' }));
  endWithProblem(socket, 405, body, `allow: ${SERVED_METHODS}\r\n`);
}
