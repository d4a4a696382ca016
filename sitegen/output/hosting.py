"""What a static host needs besides the pages: headers, 404 rules and an nginx server block.

`_headers` and `_redirects` are read by Netlify and Cloudflare Pages; `nginx_config()` is what
`sitegen hosting nginx` prints. All three come from one list of headers, so every host sends the
same security headers and the same caching rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.model.redirects import Redirect
from sitegen.output.compress import TEXT_TYPES
from sitegen.schema.config import SiteConfig

# Pages load only their own scripts, styles, images and fonts. 'wasm-unsafe-eval' lets the
# search index (WebAssembly) run; it does not allow inline scripts or eval().
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
)
# Fingerprinted assets change name when they change, so a browser may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Everything else (pages, feeds, the search index) is revalidated on every visit.
REVALIDATE = "no-cache"
ASSETS = "assets/"
UNSAFE_IN_NGINX = re.compile(r"[\s\"'$;{}\\#]")


class HostingError(Exception):
    """A value cannot go into the generated config; carries a message for the user."""


def render_headers(config: SiteConfig) -> bytes:
    """`_headers`: security headers everywhere, a year of caching for assets/ only.

    HTML gets no Cache-Control here: both hosts already revalidate it, and a second rule for
    the same header would be joined to the first rather than replace it.
    """
    prefix = config.url_prefix
    lines = [f"{prefix}*"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    lines += [f"{prefix}{ASSETS}*", f"  Cache-Control: {IMMUTABLE}"]
    return ("\n".join(lines) + "\n").encode()


def render_redirects(config: SiteConfig, redirects: Sequence[Redirect] = ()) -> bytes:
    """`_redirects`: moved pages answer 301; a missing page, 404 with its language's 404 page.

    404 rules only apply where no file exists, so pages are served as they are. The first rule
    that matches wins, so the moved pages come first. Netlify serves the redirect page that
    exists at an old address instead of the 301 (Cloudflare Pages follows the rule): both
    reach the new page.
    """
    prefix = config.url_prefix
    lines = [f"{r.old}  {r.new}  301" for r in redirects]
    lines += [f"{prefix}{code}/*  {prefix}{code}/404.html  404" for code in config.codes]
    lines.append(f"{prefix}*  {prefix}{config.default_language}/404.html  404")
    return ("\n".join(lines) + "\n").encode()


def hosting_outputs(
    config: SiteConfig, redirects: Sequence[Redirect] = ()
) -> list[tuple[str, bytes]]:
    """The files for hosts that read them, as build outputs."""
    return [
        ("_headers", render_headers(config)),
        ("_redirects", render_redirects(config, redirects)),
    ]


def _safe(value: str, what: str) -> str:
    if not value or UNSAFE_IN_NGINX.search(value):
        raise HostingError(
            f"{what} '{value}' cannot go into an nginx config: it contains a space, a quote "
            "or one of $ ; {{ }} \\ #"
        )
    return value


def normalise_prefix(prefix: str) -> str:
    """'sub' or '/sub' -> '/sub/'; '' -> '/'."""
    parts = [p for p in prefix.split("/") if p]
    return "/" + "".join(p + "/" for p in parts)


def _variable_tag(prefix: str) -> str:
    """A name part for nginx variables, so two sites in one nginx do not share them."""
    return re.sub(r"[^a-z0-9]+", "_", prefix.lower()).strip("_") or "root"


def _regex(text: str) -> str:
    """text matched literally in a PCRE pattern (URL paths hold no quotes or backslashes)."""
    return re.sub(r"([.+?*()\[\]^|])", r"[\1]", text).replace("[^]", "\\^")


def nginx_config(
    config: SiteConfig,
    root: Path,
    listen: str,
    prefix: str | None = None,
    redirects: Sequence[Redirect] = (),
) -> str:
    """Maps and a server block serving the build folder at root: include it inside `http {}`.

    Clean URLs with a 301 to the trailing-slash form, each language's 404 page, `/` choosing a
    language from Accept-Language (else the language chooser), precompressed files, caching
    and security headers. Needs nothing beyond stock nginx (1.11.7 or newer): Brotli files
    are picked with try_files, not the brotli module most packages lack.
    """
    prefix = normalise_prefix(config.url_prefix if prefix is None else prefix)
    _safe(prefix, "the prefix")
    _safe(listen, "the address to listen on")
    folder = _safe(root.absolute().as_posix().rstrip("/") + "/", "the build folder")
    host = urlsplit(config.base_url).hostname or "_"
    v = f"$sitegen_{_variable_tag(prefix)}"
    rx = "^" + _regex(prefix)
    text_ext = "|".join(TEXT_TYPES)
    out: list[str] = [
        f"# Generated by `sitegen hosting nginx` for {config.base_url}",
        "# Include this file inside http {} (e.g. /etc/nginx/conf.d/); nginx 1.11.7 or newer.",
        "",
        "# '.br' when the client takes Brotli (without a q-value); else gzip_static or plain.",
        f"map $http_accept_encoding {v}_br {{",
        '    default "";',
        '    "~*(^|[ ,])br *(,|$)" ".br";',
        "}",
        "# The file actually sent (after try_files) decides these, hence 'volatile'.",
        f"map $uri {v}_encoding {{",
        "    volatile;",
        '    default "";',
        '    "~[.]br$" br;',
        "}",
        "# A year for fingerprinted assets, never for an error: a 404 must not stick.",
        f'map "$status $uri" {v}_cache {{',
        "    volatile;",
        f'    default "{REVALIDATE}";',
        f'    "~^(200|206|304) {rx[1:]}{ASSETS}" "{IMMUTABLE}";',
        "}",
        f"map $uri {v}_vary {{",
        "    volatile;",
        '    default "";',
        f'    "{prefix}" "Accept-Language";',
        f'    "{prefix}index.html" "Accept-Encoding, Accept-Language";',
        f'    "{prefix}index.html.br" "Accept-Encoding, Accept-Language";',
        f'    "~[.]({text_ext})([.]br)?$" "Accept-Encoding";',
        "}",
        "# Each language's own 404 page; anything else gets the default language's.",
        f"map $uri {v}_not_found {{",
        "    volatile;",
        f"    default {prefix}{config.default_language}/404.html;",
    ]
    out += [f'    "~{rx}{code}/" {prefix}{code}/404.html;' for code in config.codes]
    out += [
        "}",
        "# The visitor's first language, when the site has it: `/` redirects there.",
        f"map $http_accept_language {v}_lang {{",
        '    default "";',
    ]
    out += [f'    "~*^ *{code}(?![a-z])" {code};' for code in config.codes]
    out += [
        "}",
        "",
        "server {",
        f"    listen {listen};",
        f"    server_name {host};",
        "    server_tokens off;",
        "    # Redirects keep the host and port the visitor used.",
        "    absolute_redirect off;",
        "    charset utf-8;",
        f"    charset_types {' '.join(sorted(set(TEXT_TYPES.values()) - {'text/html'}))};",
        "    gzip_static on;",
        "    log_not_found off;",
        "    # A folder without an index.html is not a page either.",
        f"    error_page 403 404 =404 {v}_not_found;",
        "",
    ]
    headers = [*SECURITY_HEADERS, ("Cache-Control", f"{v}_cache"), ("Vary", f"{v}_vary")]
    headers.append(("Content-Encoding", f"{v}_encoding"))
    out += [f'    add_header {name} "{value}" always;' for name, value in headers]
    if prefix != "/":
        out += ["", f"    location = {prefix.rstrip('/')} {{ return 301 {prefix}; }}"]
    out += [
        "",
        f"    location {prefix} {{",
        f"        alias {folder};",
        "        index index.html;",
        f"        location = {prefix} {{",
        f"            if ({v}_lang) {{ return 302 {prefix}{v}_lang/; }}",
        "        }",
        "        # Files for other hosts, not for visitors.",
        f"        location = {prefix}_headers {{ return 404; }}",
        f"        location = {prefix}_redirects {{ return 404; }}",
    ]
    if redirects:
        out.append("        # Moved pages (moved_from: in data.yaml), with and without the slash.")
    for r in redirects:
        old = _safe(prefix + r.old.removeprefix(config.url_prefix), "an old address")
        new = _safe(prefix + r.new.removeprefix(config.url_prefix), "a redirect target")
        out += [
            f"        location = {old.rstrip('/')} {{ return 301 {new}; }}",
            f"        location = {old} {{ return 301 {new}; }}",
        ]
    for ext, mime in TEXT_TYPES.items():
        out += [
            f"        location ~ [.]{ext}$ {{",
            f"            types {{ {mime} {ext} br; }}",
            f"            try_files $uri{v}_br $uri =404;",
            "        }",
        ]
    out += ["    }", "}", ""]
    return "\n".join(out)


def listen_address(port: str) -> str:
    """'8080' or '127.0.0.1:8080' as nginx's `listen` takes it."""
    host, _, number = port.rpartition(":")
    if not number.isdigit() or not 0 < int(number) < 65536 or (":" in port and not host):
        raise HostingError(f"--port '{port}' is not a port number or ADDRESS:PORT")
    return port
