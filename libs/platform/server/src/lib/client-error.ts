import type { Socket } from 'node:net';
import { toProblemResponse, PROBLEM_CONTENT_TYPE } from '@edge/problem-details';

interface ParserError extends Error {
  code?: string;
}

/**
 * Errors the HTTP parser raises before any route runs (oversized or malformed headers):
 * answered as problem+json on the socket, then closed. 431 for header overflow.
 */
export function writeClientError(error: ParserError, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const code = status === 431 ? 'headers-too-large' : 'bad-request';
  const { body } = toProblemResponse(Object.assign(new Error(code), { statusCode: status, code: status === 431 ? 'headers-too-large' : undefined }));
  if (status === 408) {
    body.type = 'about:blank';
    body.title = 'Request timeout';
  }
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${payload}`,
  );
}
