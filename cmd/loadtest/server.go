package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// process is a server the harness started: the application or the ceiling.
type process struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	log  *os.File
	done chan error
}

// freePort asks the kernel for a port nobody listens on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startApp starts the application on the existing database and waits for its
// home page: the time from exec to that first page is the cold start.
func startApp(ctx context.Context, bin, dataDir, logPath string) (*process, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, 0, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", dataDir, "--demo=false", "--feed-refresh", "off")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	p := &process{cmd: cmd, base: "http://" + addr, log: logFile, done: make(chan error, 1)}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, 0, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { p.done <- cmd.Wait() }()
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case err := <-p.done:
			logFile.Close()
			return nil, 0, fmt.Errorf("the server exited before serving (%v); see %s", err, logPath)
		case <-ctx.Done():
			p.stop()
			return nil, 0, ctx.Err()
		default:
		}
		if res, err := client.Get(p.base + "/"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, time.Since(began), nil
			}
		}
		if time.Since(began) > time.Minute {
			p.stop()
			return nil, 0, fmt.Errorf("the server did not serve its home page within a minute; see %s", logPath)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// startCeiling runs this same binary as the ceiling server.
func startCeiling(ctx context.Context, logPath string) (*process, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve-ceiling", "127.0.0.1:0")
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logFile.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	p := &process{cmd: cmd, log: logFile, done: make(chan error, 1)}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		logFile.Close()
		return nil, fmt.Errorf("the ceiling server did not say its address: %w; see %s", err, logPath)
	}
	go func() { p.done <- cmd.Wait() }()
	p.base = "http://" + strings.TrimSpace(line)
	return p, nil
}

// stop asks the server to finish (SIGTERM) and waits, killing it after 30 s.
func (p *process) stop() error {
	defer p.log.Close()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case err := <-p.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("server exited with %v", exit)
		}
		return err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return errors.New("the server did not stop within 30 s and was killed")
	}
}

// memory reads a process's resident set size and its peak, in bytes.
func memory(pid int) (rss, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			rss = n << 10
		case "VmHWM":
			peak = n << 10
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, peak, nil
}
