package dev.segrel.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where the server fixtures would use containers; elsewhere the class is
 * skipped, saying why.
 */
final class DockerOnly implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestServers.containersAllowed()) {
            return ConditionEvaluationResult.disabled(
                    TestServers.CONTAINERS_VARIABLE + "=false: the in-process server is used instead");
        }
        if (!TestServers.dockerAnswers()) {
            return ConditionEvaluationResult.disabled("no Docker engine: the in-process server is used instead");
        }
        return ConditionEvaluationResult.enabled("a Docker engine answered");
    }
}
