import helmet from 'helmet';

/** Security headers: a strict CSP for same-origin pages, embedding limited to `frameAncestors` (self when empty). */
export function securityHeaders(options: { frameAncestors: string[] }) {
  const ancestors = options.frameAncestors.length > 0 ? ["'self'", ...options.frameAncestors] : ["'self'"];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ancestors,
      },
    },
    crossOriginEmbedderPolicy: false,
    // frame-ancestors governs embedding; X-Frame-Options cannot express an allow-list.
    frameguard: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
