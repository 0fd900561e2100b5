package dev.taskq.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.TaskQueueException;
import dev.taskq.cdi.CdiTest.Confirm;
import dev.taskq.cdi.CdiTest.Persistence;
import dev.taskq.cdi.CdiTest.Wording;
import jakarta.enterprise.inject.spi.DeploymentException;
import org.junit.jupiter.api.Test;

/** A bad server setting fails the deployment as it starts, with the setting, the value and the rule. */
class DeploymentSettingsTest {

    @Test
    void aBadAdminRoleFailsTheDeployment() {
        System.setProperty("taskq.admin.role", "queue admins");
        try {
            DeploymentException e = assertThrows(DeploymentException.class, () -> CdiTest.weld("taskq-bad-role",
                    Persistence.class, Wording.class, Confirm.class).initialize());

            assertTrue(e.getCause() instanceof TaskQueueException, String.valueOf(e.getCause()));
            assertTrue(e.getMessage().contains("taskq.admin.role must be a role name of 1 to 100 characters without "
                    + "spaces or commas, such as taskq-admin, but was 'queue admins'."), e.getMessage());
        } finally {
            System.clearProperty("taskq.admin.role");
        }
    }
}
