// The slice of autocannon 8's programmatic API the bench uses (the package ships no types).
declare module 'autocannon' {
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;

  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Run the load generator in this many worker threads instead of the calling thread. */
      workers?: number;
      /** Responses whose body differs from this string are counted as mismatches. */
      expectBody?: string;
      /** Requests in turn; with workers, setupRequest is the path of a module exporting the function. */
      requests?: { setupRequest?: string }[];
    }

    /** Histogram summary; latency values are in milliseconds. */
    interface Histogram {
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p99: number;
    }

    interface Result {
      url: string;
      duration: number;
      /** Connection errors, timeouts included. */
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      resets: number;
      '2xx': number;
      latency: Histogram;
      /** Per-second samples of completed requests; `total` is every completed request. */
      requests: Histogram & { total: number; sent: number };
    }
  }

  export = autocannon;
}
