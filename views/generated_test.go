package views_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedFilesAreFresh regenerates the views with the pinned templ CLI
// (go.mod's tool directive) in a scratch copy and compares the result with the
// committed *_templ.go files, so a template edited without `make generate` fails
// here. It also catches generated files that were never committed.
func TestGeneratedFilesAreFresh(t *testing.T) {
	out, err := exec.Command("go", "tool", "-n", "templ").Output()
	if err != nil {
		t.Fatalf("find the pinned templ CLI (go tool -n templ): %v", err)
	}
	templ := strings.TrimSpace(string(out))

	scratch := t.TempDir()
	if err := os.Mkdir(filepath.Join(scratch, "views"), 0o755); err != nil {
		t.Fatal(err)
	}
	sources, err := filepath.Glob("*.templ")
	if err != nil || len(sources) == 0 {
		t.Fatalf("no .templ files found: %v", err)
	}
	for _, src := range sources {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(scratch, "views", src), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(templ, "generate")
	cmd.Dir = scratch // file names in the generated code are relative to it, as in the repository root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("templ generate: %v\n%s", err, out)
	}
	for _, src := range sources {
		gen := strings.TrimSuffix(src, ".templ") + "_templ.go"
		want, err := os.ReadFile(filepath.Join(scratch, "views", gen))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(gen)
		if err != nil {
			t.Errorf("%s is missing: run `make generate` and commit it", gen)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `make generate` and commit it", gen)
		}
	}
	// Generated files whose template is gone.
	generated, _ := filepath.Glob("*_templ.go")
	for _, gen := range generated {
		if _, err := os.Stat(strings.TrimSuffix(gen, "_templ.go") + ".templ"); err != nil {
			t.Errorf("%s has no template: delete it", gen)
		}
	}
}
