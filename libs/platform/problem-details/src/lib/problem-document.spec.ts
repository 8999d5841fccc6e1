import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { problem } from './problem.exception';
import { toProblemResponse } from './problem-document';

describe('toProblemResponse', () => {
  it('renders a ProblemException with its catalogue entry, headers and extensions', () => {
    const res = toProblemResponse(
      problem('invalid-token', {
        detail: 'The token has expired.',
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        extensions: { hint: 'refresh' },
      }),
      { requestId: 'r-1', traceId: 't-1', instance: '/x' },
    );
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.body).toEqual({
      type: 'urn:edge:problem:invalid-token',
      title: 'Invalid access token',
      status: 401,
      detail: 'The token has expired.',
      hint: 'refresh',
      requestId: 'r-1',
      traceId: 't-1',
      instance: '/x',
    });
    expect(res.unexpected).toBe(false);
  });

  it('never lets an extension override type, title or status', () => {
    const res = toProblemResponse(problem('forbidden', { extensions: { status: 200, type: 'x', title: 'y' } }));
    expect(res.body).toMatchObject({ status: 403, type: 'urn:edge:problem:forbidden', title: 'Forbidden' });
  });

  it('maps Nest validation errors to validation-failed with each field', () => {
    const res = toProblemResponse(new BadRequestException(['name must be a string', 'qty must be positive']));
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:edge:problem:validation-failed');
    expect(res.body['errors']).toEqual([{ detail: 'name must be a string' }, { detail: 'qty must be positive' }]);
  });

  it('keeps 4xx messages of Nest exceptions and maps the status', () => {
    const res = toProblemResponse(new NotFoundException('Order not found'));
    expect(res.body).toMatchObject({ status: 404, type: 'urn:edge:problem:not-found', detail: 'Order not found' });
  });

  it('hides the message of a 5xx HttpException', () => {
    const res = toProblemResponse(new HttpException('db password is hunter2', 500));
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(res.status).toBe(500);
    expect(res.unexpected).toBe(true);
  });

  it('maps Fastify body parser errors to client errors', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toProblemResponse(tooLarge).body.type).toBe('urn:edge:problem:payload-too-large');
    const badJson = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), { statusCode: 400 });
    const res = toProblemResponse(badJson);
    expect(res.body).toMatchObject({ status: 400, type: 'urn:edge:problem:malformed-json' });
    expect(JSON.stringify(res.body)).not.toContain('position 7');
    const media = Object.assign(new Error('Unsupported Media Type: text/x'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(toProblemResponse(media).status).toBe(415);
  });

  it('turns unknown errors into a generic 500 without internals', () => {
    const res = toProblemResponse(new Error('ECONNREFUSED 10.0.0.7:5432 secret=abc'));
    expect(res.status).toBe(500);
    expect(res.unexpected).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|secret|stack/);
  });
});
