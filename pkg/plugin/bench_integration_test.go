//go:build integration

package plugin

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/veza/slo/pkg/pgha"
)

// Benchmarks against the real formation (build tag integration); scripts/bench-pgha.sh runs them.

// BenchmarkITTopologyQuery: topology query latency with 1 and 50 concurrent viewers, and the
// statements per second the monitor sees. With the shared reader the second must not grow.
func BenchmarkITTopologyQuery(b *testing.B) {
	for _, viewers := range []int{1, 50} {
		b.Run(map[int]string{1: "viewers=1", 50: "viewers=50"}[viewers], func(b *testing.B) {
			d := itInstance(b, nil)
			d.shared.Snapshot(context.Background()) // connect outside the timing
			lat := make([]time.Duration, 0, b.N)
			var mu sync.Mutex
			q0, t0 := d.reader.MonitorQueries(), time.Now()
			b.ResetTimer()
			var wg sync.WaitGroup
			for v := 0; v < viewers; v++ {
				n := b.N / viewers
				if v < b.N%viewers {
					n++
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < n; i++ {
						start := time.Now()
						resp, err := d.QueryData(context.Background(), request(query("topology", `{}`)))
						if err != nil || resp.Responses["A"].Error != nil {
							b.Error(err, resp.Responses["A"].Error)
							return
						}
						mu.Lock()
						lat = append(lat, time.Since(start))
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			elapsed := time.Since(t0).Seconds()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			}
			b.ReportMetric(float64(d.reader.MonitorQueries()-q0)/elapsed, "monitor-q/s")
		})
	}
}

// BenchmarkITStreamDelay: one switchover per op; for every event the monitor records, the time
// from its eventtime to the first stream packet that includes it. Run with -benchtime=1x.
func BenchmarkITStreamDelay(b *testing.B) {
	d := itInstance(b, nil)
	var delays []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		waitVerdict(b, d, pgha.VerdictHealthy, 3*time.Minute)
		rec := streamRecorder{packets: make(chan recorded, 4096)}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- d.RunStream(ctx, &backend.RunStreamRequest{Path: PathStatus}, backend.NewStreamSender(rec))
		}()
		first := <-rec.packets
		lastBefore := int64(column(b, first.data, "last_event_id")[0].(float64))
		start := time.Now()
		b.StartTimer()
		if err := runFormationCommand(b, itSwitchover)(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		time.Sleep(2 * time.Second) // let trailing events arrive
		cancel()
		<-done
		close(rec.packets)
		var packets []recorded
		for p := range rec.packets {
			packets = append(packets, p)
		}
		events, err := d.reader.Events(context.Background(), start.Add(-time.Second), time.Now(), 1000)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range events {
			if e.ID <= lastBefore {
				continue
			}
			for _, p := range packets {
				if int64(column(b, p.data, "last_event_id")[0].(float64)) >= e.ID {
					delays = append(delays, p.at.Sub(e.Time))
					break
				}
			}
		}
	}
	if len(delays) == 0 {
		b.Fatal("no event delivered")
	}
	sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
	b.ReportMetric(float64(len(delays))/float64(b.N), "events/op")
	b.ReportMetric(float64(delays[len(delays)/2].Microseconds())/1000, "p50-delay-ms")
	b.ReportMetric(float64(delays[len(delays)-1].Microseconds())/1000, "max-delay-ms")
}
