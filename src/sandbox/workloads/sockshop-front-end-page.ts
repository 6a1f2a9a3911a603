// What weaveworksdemos/front-end writes besides proxied catalogue answers: public/index.html
// (abridged: the head, the navbar and footer placeholders and the "Hot this week" box that
// client.js fills from /catalogue?size=3 in the browser; the product list is never in the HTML),
// Express's 404 page, its redirect text, and morgan's "dev" log line.

/** public/index.html, abridged (the real page also carries the carousel and ~20 script/link tags). */
export const INDEX_HTML = `<!DOCTYPE html>
<html lang="en">

<head>

    <meta charset="utf-8">
    <meta name="robots" content="all,follow">
    <meta name="googlebot" content="index,follow,snippet,archive">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="description" content="WeaveSocks Demo App">
    <meta name="author" content="Ondrej Svestka | ondrejsvestka.cz">
    <meta name="keywords" content="">

    <title>
        WeaveSocks
    </title>

    <link href="css/bootstrap.min.css" rel="stylesheet">
    <link href="css/style.blue.css" rel="stylesheet" id="theme-stylesheet">
    <link href="css/custom.css" rel="stylesheet">
    <link rel="shortcut icon" href="favicon.ico">
</head>

<body>
    <div id="top"></div>
    <div class="navbar navbar-default yamm" role="navigation" id="navbar"></div>

    <div id="all">
        <div id="content">
            <div id="hot">
                <div class="box">
                    <div class="container">
                        <div class="col-md-12">
                            <h2>Hot this week</h2>
                        </div>
                    </div>
                </div>
                <div class="container">
                    <div class="product-slider" id="hot-products"></div>
                </div>
            </div>
        </div>
        <div id="footer"></div>
    </div>

    <script src="js/jquery-1.11.0.min.js"></script>
    <script src="js/bootstrap.min.js"></script>
    <script src="js/front.js"></script>
    <script src="js/client.js"></script>
    <script>
        $(document).ready(function () {
            $("#navbar").load("navbar.html");
            $("#footer").load("footer.html");
            $.getJSON("/catalogue?size=3", function (data) {
                $.each(data, function (i, sock) {
                    $("#hot-products").append('<div class="item"><a href="detail.html?id=' + sock.id + '">' + sock.name + '</a></div>');
                });
            });
        });
    </script>
</body>

</html>
`;

/** finalhandler's 404 page for an unmatched route. */
export function cannotGetPage(method: string, path: string): string {
  const escaped = path.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${escaped}</pre>\n</body>\n</html>\n`;
}

/** morgan's `dev` format: method, url, status coloured by class, response time, content length. */
export function morganDev(method: string, url: string, status: number, ms: number, contentLength: string | undefined): string {
  const color = status >= 500 ? 31 : status >= 400 ? 33 : status >= 300 ? 36 : status >= 200 ? 32 : 0;
  return `\x1b[0m${method} ${url} \x1b[${color}m${status} \x1b[0m${ms.toFixed(3)} ms - ${contentLength ?? '-'}\x1b[0m`;
}
