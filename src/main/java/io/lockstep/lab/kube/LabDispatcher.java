package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lab's API server: fabric8's CRUD store, plus what kubectl and real clients expect of a real
 * server and the store lacks — API discovery, the {@code scale} subresource, merge patches that
 * remove keys given {@code null}, strategic merge patches, field selectors, pod logs and evictions,
 * watches that survive their clients, watches over plain HTTP, and the tables kubectl prints. Everything
 * else goes to the store unchanged. Every change is written to the lab's {@link ChangeLog} before it
 * is applied, so nothing a client was told survives only in memory.
 */
final class LabDispatcher extends KubernetesCrudDispatcher {

  private static final String JSON = "application/json";
  private static final String JSON_PATCH = "application/json-patch+json";
  private static final int JOURNAL_CAPACITY = 4096;

  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ObjectMapper mapper = JsonMapper.builder().build();
  private final ApiDiscovery discovery = new ApiDiscovery(serialization);
  private final ScaleSubresource scale = new ScaleSubresource(mapper);
  private final ReadResponses reads = new ReadResponses(mapper, this::handleGet, this::types);
  private final PodSubresources pods = new PodSubresources(mapper);
  private final Watches watches = new Watches(JOURNAL_CAPACITY, attributeExtractor, mapper,
      path -> handleGet(path).getBody().readUtf8());
  /** Held while a change is logged and applied, and while a checkpoint copies the store. */
  private final Object changes = new Object();
  private final AtomicLong highestVersion = new AtomicLong();
  private volatile ChangeLog changeLog;
  /** Runs pods' exec requests; null: this cluster's containers run no commands. */
  private volatile PodExec exec;

  /** From now on exec requests on pods run through {@code exec} (Kosmos' members run the MySQL client). */
  void execWith(PodExec exec) {
    this.exec = exec;
  }

  /**
   * From now on every change is written to {@code log} before the store applies it (and so before
   * the request that made it is answered); a change the log refuses is not applied.
   */
  void logChangesTo(ChangeLog log) {
    this.changeLog = log;
  }

  /**
   * Answers every request. A request the store cannot handle (a JSON patch whose test fails, a body
   * that is not JSON) gets an error status, as from a real server: the mock would otherwise leave it
   * unanswered, and the client waiting for its timeout.
   */
  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      return answer(request);
    } catch (JsonPatchException e) {
      return Statuses.of(422, "Invalid", "the patch could not be applied: " + e.getMessage());
    } catch (JacksonException e) {
      return Statuses.of(400, "BadRequest", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      return Statuses.of(500, "InternalError", e.toString());
    }
  }

  private MockResponse answer(RecordedRequest request) {
    String path = RestPath.withoutQuery(request.getPath());
    String method = request.getMethod().toUpperCase();
    if (method.equals("GET")) {
      if (RestPath.isWatch(request.getPath())) {
        return watches.answer(request);
      }
      Optional<ApiDiscovery.Answer> answer = discovery.answer(path, types());
      if (answer.isPresent()) {
        return new MockResponse().setResponseCode(answer.get().status()).setHeader("Content-Type", JSON)
            .setBody(answer.get().body());
      }
    }
    Optional<RestPath> rest = RestPath.parse(path);
    String subresource = rest.map(RestPath::subresource).orElse(null);
    MockResponse response;
    if (subresource == null && method.equals("GET") && !FieldSelector.of(request.getPath()).isEmpty()) {
      response = reads.selected(request.getPath());
    } else if (subresource == null || subresource.equals("status")) {
      response = dispatchObject(method, path, request);
    } else if (ScaleSubresource.handles(rest.get())) {
      response = scale.handle(method, rest.get(), request, this);
    } else if (PodSubresources.handles(rest.get())) {
      response = pods.handle(method, rest.get(), this);
    } else if (PodExec.handles(rest.get())) {
      PodExec runner = exec;
      if (runner == null) {
        return Statuses.of(400, "BadRequest", "the containers of this lab cluster run no commands (exec)");
      }
      MockResponse pod = handleGet(rest.get().objectPath());
      return runner.answer(request, rest.get(), pod.code() == 200 ? pod.getBody().readUtf8() : null);
    } else {
      return Statuses.notFound("the server could not find the requested resource");
    }
    if (method.equals("GET") && subresource == null && response.code() == 200 && rest.isPresent()) {
      return reads.shaped(rest.get(), response, request.getHeader("Accept"));
    }
    return response;
  }

  /**
   * Every change the store makes passes here, under the store's write lock: it is written to the
   * change log first (a change the log refuses throws, and is not applied), then applied, then
   * passed to the lab's watches.
   */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    WatchJournal.Event event;
    synchronized (changes) {
      String existing = oldAttributes == null ? null : map.get(oldAttributes);
      event = logged(pathAttributes, oldAttributes, resource, newState, existing);
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }
    if (event != null) {
      publish(event);
    }
  }

  /** Writes the change to the change log (if one is set); answers its watch event, null when nothing changes. */
  private WatchJournal.Event logged(AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState, String existing) {
    ChangeLog log = changeLog;
    if (newState != null && !newState.equals(existing)) {
      AttributeSet attributes = attributesOf(pathAttributes, resource, newState);
      long version = mapper.readTree(newState).path("metadata").path("resourceVersion").asLong(0);
      highestVersion.accumulateAndGet(version, Math::max);
      if (log != null) {
        StoreKey key = StoreKey.of(attributes, pathAttributes);
        StoreKey before = oldAttributes == null ? key : StoreKey.of(oldAttributes, pathAttributes);
        if (!before.equals(key)) {
          log.delete(before, version);
        }
        log.put(key, version, newState);
      }
      return new WatchJournal.Event(version, existing == null ? "ADDED" : "MODIFIED", attributes, newState);
    }
    if (newState == null && existing != null) {
      long version = requestResourceVersion();
      highestVersion.accumulateAndGet(version, Math::max);
      if (log != null) {
        log.delete(StoreKey.of(oldAttributes, pathAttributes), version);
      }
      ObjectNode last = (ObjectNode) mapper.readTree(existing);
      last.withObject("metadata").put("resourceVersion", String.valueOf(version));
      return new WatchJournal.Event(version, "DELETED", oldAttributes, mapper.writeValueAsString(last));
    }
    return null;
  }

  /** The attributes the store files a new state under (the plural from the path when the object does not say). */
  AttributeSet attributesOf(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
    AttributeSet attributes = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    return attributes.containsKey(KubernetesAttributesExtractor.PLURAL)
        ? attributes : AttributeSet.merge(pathAttributes, attributes);
  }

  /** A copy of every stored object and the highest resourceVersion given, taken between two changes. */
  record Checkpoint(long version, List<Map.Entry<AttributeSet, String>> objects) {}

  /**
   * Copies the store between two changes and runs {@code atThatPoint} before the next change may
   * begin: the storage switches its journal there, so that the copy holds exactly the changes
   * written before the switch. Copying takes references only (stored states are strings), so
   * writers wait for a moment, not for a snapshot to be written.
   */
  Checkpoint checkpoint(Runnable atThatPoint) {
    synchronized (changes) {
      List<Map.Entry<AttributeSet, String>> objects = new ArrayList<>();
      synchronized (map) {
        map.forEach((key, object) -> objects.add(Map.entry(key, object)));
      }
      atThatPoint.run();
      return new Checkpoint(highestVersion.get(), objects);
    }
  }

  /**
   * The store's version counter and highest version move past {@code version} (a restored object's
   * or deletion's), so that no later change reuses it.
   */
  void versionsUpTo(long version) {
    highestVersion.accumulateAndGet(version, Math::max);
    while (requestResourceVersion() < highestVersion.get()) {
      // advancing the counter is the point
    }
  }

  private void publish(WatchJournal.Event event) {
    watches.publish(event);
  }

  /** A WebSocket watch reaching the store directly: served by the lab's watches, not the mock's. */
  @Override
  public MockResponse handleWatch(String pathWithQuery) {
    return watches.webSocket(pathWithQuery);
  }

  /** Closes the lab's watches; the server has stopped. */
  @Override
  public void shutdown() {
    watches.stop();
    super.shutdown();
  }

  private MockResponse dispatchObject(String method, String path, RecordedRequest request) {
    String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
    if (method.equals("PATCH") && contentType.contains("merge-patch")) {
      return mergePatch(path, request);
    }
    return super.dispatch(request);
  }

  /** Applies a merge (or strategic merge) patch as the equivalent JSON patch. */
  private MockResponse mergePatch(String path, RecordedRequest request) {
    String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
    MockResponse current = handleGet(objectPath);
    if (current.code() != 200) {
      return current;
    }
    JsonNode before = mapper.readTree(current.getBody().readUtf8());
    JsonNode after = MergePatch.apply(before, mapper.readTree(request.getUtf8Body()));
    return jsonPatch(request.getPath(), mapper.writeValueAsString(MergePatch.diff(before, after)));
  }

  /** Runs a JSON patch through the store (used for merge patches and scale changes). */
  MockResponse jsonPatch(String pathWithQuery, String operations) {
    Headers headers = Headers.builder().add("Content-Type", JSON_PATCH).build();
    RecordedRequest patch = new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, pathWithQuery, headers,
        new Buffer(operations.getBytes(StandardCharsets.UTF_8)));
    MockResponse response = super.dispatch(patch);
    if (response.code() == 202) {
      response.setResponseCode(200);
    }
    return response.setHeader("Content-Type", JSON);
  }

  /** Built-in types and one per stored custom resource definition. */
  List<ApiResourceType> types() {
    return ApiCatalog.withCustom(customTypes());
  }

  List<ApiResourceType> customTypes() {
    List<ApiResourceType> custom = new ArrayList<>();
    for (GenericKubernetesResource crd : list(ApiCatalog.CRDS)) {
      ApiCatalog.fromCrd(serialization.convertValue(crd, CustomResourceDefinition.class)).ifPresent(custom::add);
    }
    return custom;
  }

  /** Every stored object of {@code type}. */
  List<GenericKubernetesResource> list(ApiResourceType type) {
    return serialization.unmarshal(listJson(type), GenericKubernetesResourceList.class).getItems();
  }

  /** The store's list response for every object of {@code type}. */
  String listJson(ApiResourceType type) {
    return handleGet(type.collectionPath(null)).getBody().readUtf8();
  }

  /**
   * Deletes every stored object, custom resources and pods before what they live in, finalizers
   * notwithstanding; watchers see each deletion.
   */
  void wipe() {
    List<ApiResourceType> types = new ArrayList<>(types());
    Collections.reverse(types);
    for (ApiResourceType type : types) {
      for (GenericKubernetesResource object : list(type)) {
        String path = type.objectPath(object.getMetadata().getNamespace(), object.getMetadata().getName());
        if (!object.getMetadata().getFinalizers().isEmpty()) {
          jsonPatch(path, "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        }
        handleDelete(path);
      }
    }
  }

  KubernetesSerialization serialization() {
    return serialization;
  }
}
