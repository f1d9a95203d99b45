package dev.segrel.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aSelectorWithMatchersAndARangeIsItsMetricOnly() {
        assertThat(PromQl.metricNames(
                "sum by (environment) (rate(segrel_cache_requests_total{cache=\"index\", result=~\"hit|miss\"}[$__rate_interval]))"))
                .containsExactly("segrel_cache_requests_total");
    }

    @Test
    void aNameInAStringOrALabelIsNotAMetric() {
        assertThat(PromQl.metricNames(
                "label_replace(up{job=\"segrel_fake_total\", segrel_label=\"x\"}, \"dst\", 'segrel_other', \"src\", \".*\")"))
                .containsExactly("up");
    }

    @Test
    void groupingLabelsKeywordsDurationsAndNumbersAreNotMetrics() {
        assertThat(PromQl.metricNames("""
                sum without (instance) (a_total) / ignoring (reason) group_left (environment) b offset 5m > bool 0.05
                and on (environment) c unless d or histogram_quantile(0.99, sum by (le) (rate(e_bucket[10m]))) > 1e3"""))
                .containsExactly("a_total", "b", "c", "d", "e_bucket");
    }

    @Test
    void anAggregationWithItsGroupingAfterTheArgumentIsAFunction() {
        assertThat(PromQl.metricNames("max(x) by (state) + topk(3, y) - count_values(\"v\", z)"))
                .containsExactly("x", "y", "z");
    }

    @Test
    void aGrafanaLabelValuesQueryReadsItsMetricNotItsLabel() {
        assertThat(PromQl.metricNames("label_values(segrel_cache_requests_total, environment)"))
                .containsExactly("segrel_cache_requests_total");
        assertThat(PromQl.metricNames("label_values(segrel_tasks_in_flight{environment=~\"$environment\"}, instance)"))
                .containsExactly("segrel_tasks_in_flight");
    }

    @Test
    void grafanaVariablesAreNotMetrics() {
        assertThat(PromQl.metricNames("rate(m_total{instance=~\"$instance\"}[${__rate_interval}]) * $factor"))
                .containsExactly("m_total");
    }
}
