export * from './lib/problem-catalogue';
export * from './lib/problem.exception';
export * from './lib/problem-document';
export * from './lib/send-problem';
export * from './lib/problem-details.filter';
