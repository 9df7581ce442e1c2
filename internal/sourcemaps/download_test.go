// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// downloadConfig enables downloads from the given origins.
func downloadConfig(origins ...string) Config {
	cfg := NewDefaultConfig()
	cfg.Download.Enabled = true
	cfg.Download.AllowedOrigins = origins
	return cfg
}

func scriptKey(origin, path string) Key {
	return Key{App: "shop", Release: "1.0.0", ScriptURL: origin + path}
}

func TestDownloadFollowsTheComment(t *testing.T) {
	site := newTestOrigin(t)
	s := newTestStore(t, downloadConfig(site.URL))

	assert.Equal(t, site.URL+"/src/cart.js", s.topSource(t, scriptKey(site.URL, "/esbuild/app.js"), "esbuild"),
		"sources resolve against the map's URL")
	assert.Equal(t, []string{"/esbuild/app.js", "/esbuild/app.js.map"}, site.seen())
	assert.Equal(t, 1, s.obs.loads(SourceDownload))
}

func TestDownloadInlineMap(t *testing.T) {
	site := newTestOrigin(t)
	s := newTestStore(t, downloadConfig(site.URL))
	assert.Equal(t, site.URL+"/src/cart.js", s.topSource(t, scriptKey(site.URL, "/inline/app.js"), "inline"))
	assert.Equal(t, []string{"/inline/app.js"}, site.seen())
	assert.Equal(t, 1, s.obs.loads(SourceInline))
}

// The SourceMap header wins over the comment; X-SourceMap is read too.
func TestDownloadHeaderFirst(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/h/app.js", serveText("f();\n//# sourceMappingURL=/nowhere.map\n", "SourceMap", "/terser/app.js.map"))
	site.route("/x/app.js", serveText("f();\n", "X-SourceMap", "../esbuild/app.js.map"))
	s := newTestStore(t, downloadConfig(site.URL))

	_, st := s.Get(context.Background(), scriptKey(site.URL, "/h/app.js"))
	assert.Equal(t, StatusOK, st)
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/x/app.js"))
	assert.Equal(t, StatusOK, st)
	assert.Equal(t, []string{"/h/app.js", "/terser/app.js.map", "/x/app.js", "/esbuild/app.js.map"}, site.seen())
}

func TestSourceMappingURLComment(t *testing.T) {
	for script, want := range map[string]string{
		"a();\n//# sourceMappingURL=app.js.map\n":                                   "app.js.map",
		"a();\n//@ sourceMappingURL=old.map":                                        "old.map",
		"a();\n//#  sourceMappingURL=spaced.map  \n":                                "spaced.map",
		"//# sourceMappingURL=first.map\na();\n//# sourceMappingURL=last.map\r\n":   "last.map",
		"a();\n//# sourceMappingURL=real.map\nvar s = 'sourceMappingURL=fake.map';": "real.map",
		"a();\n":                                "",
		"a();\n//# sourceMappingURL=\n":         "",
		"sourceMappingURL=no-comment.map\n":     "",
		"x//# sourceMappingURL=glued.map\n":     "glued.map",
		"a();/*# sourceMappingURL=css.map */\n": "",
	} {
		got, ok := sourceMappingURL([]byte(script))
		assert.Equal(t, want, got, script)
		assert.Equal(t, want != "", ok, script)
	}
}

// An origin not on the allow-list is never contacted: not the script, not the map.
func TestDownloadNotAllowedOriginNeverFetched(t *testing.T) {
	allowed := newTestOrigin(t)
	other := newTestOrigin(t) // 127.0.0.1 on another port: another origin, not allowed
	s := newTestStore(t, downloadConfig(allowed.URL))

	_, st := s.Get(context.Background(), scriptKey(other.URL, "/esbuild/app.js"))
	assert.Equal(t, StatusRefused, st)

	// An allowed script whose map is on the other origin, on a private address, on
	// file: or on a data: URL that is no JSON map.
	allowed.route("/to-other/app.js", serveText("a();\n//# sourceMappingURL="+other.URL+"/esbuild/app.js.map\n"))
	allowed.route("/to-private/app.js", serveText("a();\n//# sourceMappingURL=http://169.254.169.254/latest/meta-data/app.js.map\n"))
	allowed.route("/to-file/app.js", serveText("a();\n//# sourceMappingURL=file:///etc/passwd\n"))
	allowed.route("/to-data/app.js", serveText("a();\n//# sourceMappingURL=data:text/html;base64,PGgxPmhpPC9oMT4=\n"))
	allowed.route("/to-js/app.js", serveText("a();\n//# sourceMappingURL=javascript:alert(1)\n"))
	for _, p := range []string{"/to-other/app.js", "/to-private/app.js", "/to-file/app.js", "/to-data/app.js", "/to-js/app.js"} {
		_, st, took := s.getWithin(t, 5*time.Second, scriptKey(allowed.URL, p))
		assert.Equal(t, StatusRefused, st, p)
		assert.Less(t, took, time.Second, "%s: refused without trying to connect", p)
	}
	assert.Empty(t, other.seen(), "the origin that is not allowed saw no request")
	assert.Equal(t, 6, s.obs.failures(ReasonRefused))
	assert.Equal(t, 5, s.logs.FilterMessage("source map not usable").Len(),
		"the map URLs the site names are logged; the script URL the browser named is not")
}

// A URL with user information is refused even on an allowed origin, as the script a
// browser names and as the map a script names: the collector would send the credentials.
func TestDownloadRefusesUserInformation(t *testing.T) {
	site := newTestOrigin(t)
	withUser := strings.Replace(site.URL, "http://", "http://user:secret@", 1)
	site.route("/creds/app.js", serveText("a();\n//# sourceMappingURL="+withUser+"/esbuild/app.js.map\n"))
	s := newTestStore(t, downloadConfig(site.URL))

	_, st := s.Get(context.Background(), scriptKey(withUser, "/esbuild/app.js"))
	assert.Equal(t, StatusRefused, st)
	assert.Empty(t, site.seen())
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/creds/app.js"))
	assert.Equal(t, StatusRefused, st)
	assert.Equal(t, []string{"/creds/app.js"}, site.seen(), "the map was not requested")
}

// A private address is reached when its origin is allowed explicitly (as the tests'
// 127.0.0.1 servers are); downloads stay off unless enabled.
func TestDownloadOffByDefault(t *testing.T) {
	site := newTestOrigin(t)
	cfg := NewDefaultConfig()
	cfg.Download.AllowedOrigins = []string{site.URL}
	s := newTestStore(t, cfg)
	_, st := s.Get(context.Background(), scriptKey(site.URL, "/esbuild/app.js"))
	assert.Equal(t, StatusNotFound, st)
	assert.Empty(t, site.seen())
}

// Redirects stay on the origin of the first request, even to another allowed origin.
func TestDownloadRedirects(t *testing.T) {
	site := newTestOrigin(t)
	other := newTestOrigin(t)
	site.route("/moved/app.js.map", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/esbuild/app.js.map", http.StatusFound)
	})
	site.route("/moved/app.js", serveText("a();\n//# sourceMappingURL=app.js.map\n"))
	site.route("/away/app.js", serveText("a();\n//# sourceMappingURL=app.js.map\n"))
	site.route("/away/app.js.map", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/esbuild/app.js.map", http.StatusFound)
	})
	site.route("/loop/app.js", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/app.js", http.StatusFound)
	})
	s := newTestStore(t, downloadConfig(site.URL, other.URL))

	_, st := s.Get(context.Background(), scriptKey(site.URL, "/moved/app.js"))
	assert.Equal(t, StatusOK, st, "a redirect within the origin is followed")
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/away/app.js"))
	assert.Equal(t, StatusRefused, st, "a redirect to another origin is refused")
	assert.Empty(t, other.seen())
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/loop/app.js"))
	assert.Equal(t, StatusRefused, st)
	assert.Equal(t, 1+maxRedirects, site.count("/loop/app.js"))
}

func TestDownloadSizeLimits(t *testing.T) {
	site := newTestOrigin(t)
	big := strings.Repeat("x", 4096)
	// Without Content-Length (flushed in parts), the limit holds on the body read.
	site.route("/chunked/app.js", func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i < 4; i++ {
			_, _ = w.Write([]byte(big))
			w.(http.Flusher).Flush()
		}
	})
	cfg := downloadConfig(site.URL)
	cfg.Download.MaxScriptSize = 4096
	cfg.MaxMapSize = int64(len(bundleMap(t, "esbuild")) - 1)
	s := newTestStore(t, cfg)

	for _, p := range []string{"/chunked/app.js", "/esbuild/app.js", "/inline/app.js"} {
		_, st := s.Get(context.Background(), scriptKey(site.URL, p))
		assert.Equal(t, StatusError, st, p)
	}
	assert.Equal(t, 3, s.obs.failures(ReasonTooLarge))
}

// A slow server: Get returns at its deadline; the load gives up at fetch_timeout and the
// failure is remembered.
func TestDownloadSlowServer(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/slow/app.js", hang)
	cfg := downloadConfig(site.URL)
	cfg.FetchTimeout = 300 * time.Millisecond
	s := newTestStore(t, cfg)

	_, st, took := s.getWithin(t, 50*time.Millisecond, scriptKey(site.URL, "/slow/app.js"))
	assert.Equal(t, StatusTimeout, st)
	assert.Less(t, took, time.Second, "Get returns at its deadline, not the load's")

	eventually(t, func() bool { return s.obs.failures(ReasonTimeout) == 1 }, "the load times out")
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/slow/app.js"))
	assert.Equal(t, StatusError, st, "the timeout is remembered")
	assert.Equal(t, 1, site.count("/slow/app.js"))
}

// A load that outlives the Get that started it fills the cache for the next one.
func TestLateLoadFillsTheCache(t *testing.T) {
	site := newTestOrigin(t)
	release := site.holdMap("esbuild")
	s := newTestStore(t, downloadConfig(site.URL))

	_, st, _ := s.getWithin(t, 20*time.Millisecond, scriptKey(site.URL, "/esbuild/app.js"))
	require.Equal(t, StatusTimeout, st)
	release()
	eventually(t, func() bool { return s.obs.loads(SourceDownload) == 1 }, "the load finishes")
	m, st, _ := s.getWithin(t, 20*time.Millisecond, scriptKey(site.URL, "/esbuild/app.js"))
	assert.Equal(t, StatusOK, st)
	assert.NotNil(t, m)
	assert.Equal(t, 1, site.count("/esbuild/app.js.map"))
}

func TestDownloadBadMaps(t *testing.T) {
	site := newTestOrigin(t)
	site.route("/html/app.js", serveText("a();\n//# sourceMappingURL=app.js.map\n"))
	site.route("/html/app.js.map", serveText("<html>not a map</html>"))
	site.route("/nomap/app.js", serveText("a();\n"))
	site.route("/gone/app.js", serveText("a();\n//# sourceMappingURL=app.js.map\n"))
	cfg := downloadConfig(site.URL)
	s := newTestStore(t, cfg)

	_, st := s.Get(context.Background(), scriptKey(site.URL, "/html/app.js"))
	assert.Equal(t, StatusError, st)
	assert.Equal(t, 1, s.obs.failures(ReasonInvalid))
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/nomap/app.js"))
	assert.Equal(t, StatusNotFound, st)
	_, st = s.Get(context.Background(), scriptKey(site.URL, "/gone/app.js"))
	assert.Equal(t, StatusNotFound, st)
}
