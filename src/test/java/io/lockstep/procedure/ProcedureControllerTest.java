package io.lockstep.procedure;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.StaticMessageSource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The page renders through the real templates; the API answers JSON. No application context. */
class ProcedureControllerTest {

  /** The page's message keys with their English texts (messages.properties holds the same). */
  static final Map<String, String> MESSAGES = Map.ofEntries(
      Map.entry("procedures.title", "Procedures"),
      Map.entry("procedures.budget", "budget {0}"),
      Map.entry("procedures.downtime", "downtime"),
      Map.entry("procedures.online", "no downtime"),
      Map.entry("procedures.repeatable.yes", "repeatable"),
      Map.entry("procedures.repeatable.no", "not repeatable"),
      Map.entry("procedures.problems", "Left out: these files in {0} have problems."));

  @TempDir
  Path userDir;
  private MockMvc mvc;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(userDir.resolve("broken.yml"), AProcedure.yamlWith("repeatable: true", "repeatible: true"));
    Procedures procedures = new Procedures(new ProcedureProperties(userDir), StepTypes.documented(), Procedures.BUILT_IN);
    mvc = MockMvcBuilders.standaloneSetup(new ProcedureController(procedures)).setViewResolvers(thymeleaf()).build();
  }

  @Test
  void thePageShowsPhasesStepsAndTheProblemsOfUserFiles() throws Exception {
    mvc.perform(get("/procedures").locale(Locale.ENGLISH))
        .andExpect(status().isOk())
        .andExpect(view().name(ProcedureController.PAGE))
        .andExpect(content().string(containsString("Demo - check nodes, stop and restart one application")))
        .andExpect(content().string(containsString("data-step=\"maintenance.mark-window\"")))
        .andExpect(content().string(containsString("budget 3m")))
        .andExpect(content().string(containsString("not repeatable")))
        .andExpect(content().string(containsString("wait.workloads-ready")))
        .andExpect(content().string(containsString("Left out: these files in " + userDir + " have problems.")))
        .andExpect(content().string(containsString("broken.yml:18: unknown key &#39;repeatible&#39;")));
  }

  @Test
  void thePageSpeaksChinese() throws Exception {
    mvc.perform(get("/procedures").locale(Locale.SIMPLIFIED_CHINESE))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("停止并重启一个 master 节点")))
        .andExpect(content().string(not(containsString("Stop and restart one master node"))));
  }

  @Test
  void theApiListsProceduresWithSourceAndHash() throws Exception {
    mvc.perform(get("/api/procedures"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.procedures[*].procedure.id", hasItem("restart-worker-node")))
        .andExpect(jsonPath("$.procedures[0].builtIn").value(true))
        .andExpect(jsonPath("$.procedures[0].source").value("config/procedures/demo-node-check.yml"))
        .andExpect(jsonPath("$.procedures[0].contentHash").value(org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}")))
        .andExpect(jsonPath("$.procedures[0].procedure.parameters[0].type").value("nodes"))
        .andExpect(jsonPath("$.procedures[0].procedure.phases[1].steps[0].repeatable").value(true))
        .andExpect(jsonPath("$.procedures[0].idLine").doesNotExist())
        .andExpect(jsonPath("$.problems[0].line").value(18));
  }

  private static ThymeleafViewResolver thymeleaf() {
    ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver();
    templates.setPrefix("templates/");
    templates.setSuffix(".html");
    templates.setCharacterEncoding("UTF-8");
    StaticMessageSource messages = new StaticMessageSource();
    messages.setUseCodeAsDefaultMessage(true);
    MESSAGES.forEach((code, text) -> messages.addMessage(code, Locale.ENGLISH, text));
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(templates);
    engine.setTemplateEngineMessageSource(messages);
    ThymeleafViewResolver resolver = new ThymeleafViewResolver();
    resolver.setTemplateEngine(engine);
    resolver.setCharacterEncoding("UTF-8");
    return resolver;
  }
}
