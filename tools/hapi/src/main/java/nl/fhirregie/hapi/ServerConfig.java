package nl.fhirregie.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.interceptor.validation.IRepositoryValidatingRule;
import ca.uhn.fhir.jpa.interceptor.validation.RepositoryValidatingInterceptor;
import ca.uhn.fhir.jpa.interceptor.validation.RepositoryValidatingRuleBuilder;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The Spring wiring of the server: HAPI's R4 JPA configuration plus the few beans HAPI leaves to
 * the application (database, JPA, storage settings) and our validation rules.
 *
 * <p>What we change from HAPI's defaults, and why (docs/hapi.md):
 * <ul>
 *   <li>H2 in a file of the data dir, schema created on start (Hibernate {@code update}); or,
 *       with {@code --jdbc}, a PostgreSQL database (the same schema handling, HAPI's
 *       PostgreSQL dialect, a connection pool);</li>
 *   <li>Hibernate Search (Lucene full text) off: we use no {@code _text}/{@code _content};</li>
 *   <li>packages: resources are installed whatever their status (a draft resource of a branch
 *       would otherwise be skipped), unless {@code --stock-package-install} keeps HAPI's default
 *       (only {@code active} resources); no dependency is fetched: R4 core comes from HAPI's
 *       validation-resources jar, nothing from a registry;</li>
 *   <li>every create/update (also inside transactions and after a PATCH) is validated against the
 *       profiles the resource claims and rejected on an error; unknown extensions and unknown
 *       profiles are errors, as in the HL7 reference validator run of tools/hl7;</li>
 *   <li>no terminology server: codes are checked in memory against the loaded code systems.</li>
 * </ul>
 */
@Configuration
@Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
    SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class})
public class ServerConfig {

  @Bean
  public ServerOptions serverOptions() {
    return ServerOptions.current();
  }

  @Bean
  public DataSource dataSource(ServerOptions options) {
    if (options.jdbcUrl() != null) {
      // PostgreSQL (tools/hapi.py --postgres): a pool of connections, the password (if any)
      // from PGPASSWORD, never on the command line.
      BasicDataSource pool = new BasicDataSource();
      pool.setDriverClassName("org.postgresql.Driver");
      pool.setUrl(options.jdbcUrl());
      String password = System.getenv("PGPASSWORD");
      if (password != null) {
        pool.setPassword(password);
      }
      pool.setMaxTotal(20);
      return pool;
    }
    String url = "jdbc:h2:file:" + options.dataDir().resolve("hapi").toAbsolutePath()
        + ";DB_CLOSE_ON_EXIT=FALSE";
    return JdbcConnectionPool.create(url, "sa", "");
  }

  @Bean
  @Primary
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext,
      JpaStorageSettings storageSettings, DataSource dataSource) {
    // The guide binds signatures and handed-over content to a version (regie-plan-signature,
    // regie-handover): HAPI strips versions from references by default, which would let a
    // signature or an acceptance count for every later version. Keep them (all of them: the
    // per-path setting did not take Task.output's choice element).
    fhirContext.getParserOptions().setStripVersionsFromReferences(false);
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext,
            storageSettings);
    factory.setPersistenceUnitName("REGIE_HAPI");
    factory.setDataSource(dataSource);
    Properties jpa = new Properties();
    jpa.put("hibernate.dialect", ServerOptions.current().jdbcUrl() != null
        ? HapiFhirPostgresDialect.class.getName() : HapiFhirH2Dialect.class.getName());
    jpa.put("hibernate.hbm2ddl.auto", "update");
    jpa.put("hibernate.format_sql", "false");
    jpa.put("hibernate.show_sql", "false");
    jpa.put("hibernate.search.enabled", "false");
    factory.setJpaProperties(jpa);
    return factory;
  }

  @Bean
  @Primary
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    JpaTransactionManager manager = new JpaTransactionManager();
    manager.setEntityManagerFactory(entityManagerFactory);
    return manager;
  }

  @Bean
  public JpaStorageSettings storageSettings() {
    JpaStorageSettings settings = new JpaStorageSettings();
    settings.setValidateResourceStatusForPackageUpload(
        ServerOptions.current().stockPackageInstall());
    settings.setHibernateSearchIndexSearchParams(false);
    settings.setAdvancedHSearchIndexing(false);
    return settings;
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    return new SubscriptionSettings();
  }

  @Bean
  public IBinaryStorageSvc binaryStorageSvc() {
    return new MemoryBinaryStorageSvcImpl();
  }

  /** Create/update validation: each resource against the profiles it declares. */
  @Bean
  public RepositoryValidatingInterceptor repositoryValidatingInterceptor(
      FhirContext fhirContext, RepositoryValidatingRuleBuilder builder) {
    for (String type : fhirContext.getResourceTypes()) {
      builder.forResourcesOfType(type)
          .requireValidationToDeclaredProfiles()
          .rejectOnSeverity(ResultSeverityEnum.ERROR)
          .rejectUnknownExtensions()
          .errorOnUnknownProfiles();
    }
    List<IRepositoryValidatingRule> rules = builder.build();
    return new RepositoryValidatingInterceptor(fhirContext, rules);
  }

  @Bean
  public RestfulServer restfulServer(
      IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory resourceProviders,
      IJpaSystemProvider systemProvider, JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider, IInterceptorService storageInterceptors,
      RepositoryValidatingInterceptor repositoryValidation,
      @Qualifier("myInstanceValidator") IInstanceValidatorModule instanceValidator,
      ServerOptions options) {
    // $validate answers with the same rules as the write validation above.
    FhirInstanceValidator validator = (FhirInstanceValidator) instanceValidator;
    validator.setAnyExtensionsAllowed(false);
    validator.setErrorForUnknownProfiles(true);
    // Storage hooks (create/update, also inside transactions) go through the JPA broadcaster.
    storageInterceptors.registerInterceptor(repositoryValidation);

    RestfulServer server = new RestfulServer(systemDao.getContext());
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
        server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilities.setImplementationDescription(options.description());
    server.setServerConformanceProvider(capabilities);
    server.setPagingProvider(pagingProvider);
    server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
    server.setDefaultPrettyPrint(false);
    return server;
  }
}
