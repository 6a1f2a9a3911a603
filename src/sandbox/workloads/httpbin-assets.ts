// Static bodies httpbin serves: /json's sample document, /html's Moby-Dick page (its opening paragraph),
// /status special cases (418's teapot, 402, 406, redirects), /robots.txt and the index page.

/** /json (go-httpbin static/sample.json, identical in kennethreitz/httpbin). */
export const SAMPLE_JSON = `{
  "slideshow": {
    "author": "Yours Truly",
    "date": "date of publication",
    "slides": [
      {
        "title": "Wake up to WonderWidgets!",
        "type": "all"
      },
      {
        "items": [
          "Why <em>WonderWidgets</em> are great",
          "Who <em>buys</em> WonderWidgets"
        ],
        "title": "Overview",
        "type": "all"
      }
    ],
    "title": "Sample Slide Show"
  }
}
`;

/** /html: the page's heading and first paragraph (the real page continues the chapter). */
export const MOBY_HTML = `<!DOCTYPE html>
<html>
  <head>
  </head>
  <body>
      <h1>Herman Melville - Moby-Dick</h1>

      <div>
        <p>
          Availing himself of the mild, summer-cool weather that now reigned in these latitudes, and in preparation for the peculiarly active pursuits shortly to be anticipated, Perth, the begrimed, blistered old blacksmith, had not removed his portable forge to the hold again, after concluding his contributory work for Ahab's leg, but still retained it on deck, fast lashed to ringbolts by the foremast; being now almost incessantly invoked by the headsmen, and harpooneers, and bowsmen to do some little job for them; altering, or repairing, or new shaping their various weapons and boat furniture.
        </p>
      </div>
  </body>
</html>`;

/** kennethreitz/httpbin's /status/418 body. */
export const TEAPOT = `
    -=[ teapot ]=-

       _...._
     .'  _ _ \`.
    | ."\` ^ \`". _,
    \\_;\`"---"\`|//
      |       ;/
      \\_     _/
        \`"""\`
`;

/** Extra headers and body for special /status codes (both implementations agree on these). */
export function statusSpecialCase(code: number, python: boolean): { headers: Record<string, string>; body?: string } | undefined {
  const redirect = { headers: { Location: '/redirect/1' } };
  switch (code) {
    case 301:
    case 302:
    case 303:
    case 305:
    case 307:
      return redirect;
    case 308:
      return python ? redirect : { headers: { Location: '/image/jpeg' }, body: '<!doctype html>\n<head>\n<title>Permanent Redirect</title>\n</head>\n<body>Permanently redirected to <a href="/image/jpeg">/image/jpeg</a>\n</body>\n</html>' };
    case 401:
      return { headers: { 'WWW-Authenticate': 'Basic realm="Fake Realm"' } };
    case 402:
      return { headers: { 'X-More-Info': 'http://vimeo.com/22053820' }, body: 'Fuck you, pay me!' };
    case 406:
      return {
        headers: { 'Content-Type': python ? 'application/json' : 'application/json; charset=utf-8' },
        body: '{\n  "message": "Client did not request a supported media type",\n  "accept": [\n    "image/webp",\n    "image/svg+xml",\n    "image/jpeg",\n    "image/png",\n    "image/"\n  ]\n}\n',
      };
    case 407:
      return { headers: { 'Proxy-Authenticate': 'Basic realm="Fake Realm"' } };
    case 418:
      return { headers: { 'X-More-Info': 'http://tools.ietf.org/html/rfc2324' }, body: python ? TEAPOT : "I'm a teapot!" };
    default:
      return undefined;
  }
}

/** The index page's title and a pointer to the endpoints. */
export function indexHtml(name: string): string {
  return `<!DOCTYPE html>\n<html>\n<head>\n  <meta charset="utf-8">\n  <title>${name}(1): HTTP Client Testing Service</title>\n</head>\n<body>\n<h1>${name}(1): HTTP Request &amp; Response Service</h1>\n<p>See /get, /headers, /ip, /status/:code, /delay/:n, /anything, /html, /json, /uuid, /user-agent, /response-headers.</p>\n</body>\n</html>\n`;
}
